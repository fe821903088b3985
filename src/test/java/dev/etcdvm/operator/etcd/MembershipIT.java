package dev.etcdvm.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A full membership change on a real 3-member cluster, one step at a time as the reconciler will do it:
 * add a learner, start its process, promote it once caught up, move leadership to it, remove an old member.
 */
class MembershipIT {
    static final List<String> VERSIONS = EtcdReleases.VERSIONS;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void learnerJoinsIsPromotedTakesLeadershipAndAnOldMemberLeaves(String version) {
        try (LocalEtcdCluster etcd = LocalEtcdCluster.start(version, 3);
                JetcdCluster cluster = new JetcdCluster(etcd.endpoints(), etcd.clientTls(), TIMEOUT)) {
            LocalEtcdCluster.Node m4 = etcd.newNode("m4");

            // etcd refuses member changes until the leader has seen every member active for 5 s
            // ("etcdserver: unhealthy cluster"); the reconciler just tries again next pass.
            EtcdMember learner = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsMatching(e -> e.getMessage().contains("unhealthy cluster"))
                    .until(() -> cluster.addLearner(List.of(m4.peerUrl())), m -> true);
            assertThat(learner.learner()).isTrue();
            assertThat(learner.name()).isEmpty(); // not started yet
            assertThat(learner.peerUrls()).containsExactly(m4.peerUrl());
            assertThat(cluster.members()).hasSize(4).filteredOn(EtcdMember::learner).extracting(EtcdMember::id)
                    .containsExactly(learner.id());

            List<LocalEtcdCluster.Node> all = List.of(etcd.node("m1"), etcd.node("m2"), etcd.node("m3"), m4);
            etcd.start(m4, LocalEtcdCluster.initialCluster(all), "existing");

            // etcd refuses promotion until the learner has caught up with the leader.
            List<String> refusals = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    cluster.promote(learner.id());
                    return true;
                } catch (EtcdException e) {
                    refusals.add(e.getMessage());
                    return false;
                }
            });
            refusals.forEach(r -> assertThat(r).contains("etcd.memberPromote " + learner.hexId()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.members())
                    .filteredOn(m -> m.id() == learner.id()).singleElement()
                    .satisfies(m -> assertThat(m.learner()).isFalse())
                    .satisfies(m -> assertThat(m.name()).isEqualTo("m4")));
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.health(m4.clientUrl()).healthy());

            cluster.moveLeader(learner.id());
            for (String endpoint : etcd.endpoints()) {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> cluster.status(endpoint).leaderId() == learner.id());
            }
            assertThat(cluster.status(m4.clientUrl()).isLeader()).isTrue();

            EtcdMember m1 = cluster.members().stream().filter(m -> m.name().equals("m1")).findFirst().orElseThrow();
            cluster.remove(m1.id());
            etcd.stop("m1");
            assertThat(cluster.members()).extracting(EtcdMember::name).containsExactlyInAnyOrder("m2", "m3", "m4");
            assertThatThrownBy(() -> cluster.remove(m1.id())).isInstanceOf(EtcdException.class)
                    .hasMessageContaining("etcd.memberRemove " + m1.hexId());
            for (String endpoint : etcd.endpoints()) {
                assertThat(cluster.health(endpoint).healthy()).as(endpoint).isTrue();
            }
        }
    }
}
