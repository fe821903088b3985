package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.BinaryDelivery;
import dev.etcdvm.operator.api.v1alpha1.BootstrapSpec;
import dev.etcdvm.operator.api.v1alpha1.SnapshotSourceSpec;
import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.HostKeyPolicy;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every spec field changed on a formed, healthy cluster of 1, 2, 3 and 5 members, carried out pass after
 * pass by the real planners against a {@link ClusterWorld}: each change is left in place, rolled out,
 * migrated one membership change per pass, or refused with a condition naming the field, exactly as
 * the README's transition table says. In every pass no member's running data is planned away and no
 * membership change leaves the voters without a quorum.
 */
class SpecTransitionMatrixTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final int MAX_PASSES = 20;

    /** What a transition does to the machines, as the README's table names it. */
    enum Kind {
        /** Accepted; no machine changes (it affects how the operator works, or the next renewal). */
        IN_PLACE("in place"),
        /** Accepted; files or binary change on every member, restarted one member per pass. */
        ROLLING("rolling"),
        /** Accepted; the membership changes one step per pass. */
        MIGRATION("migration"),
        /** Refused with SpecValid=False naming the field; nothing changes until it is set back. */
        REFUSED("refused");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    /** One spec change: the field it touches, how, and what the operator does with it. */
    record Transition(String field, String how, Kind kind, int minMembers, BiConsumer<EtcdVmCluster, ClusterWorld> change) {
        @Override
        public String toString() {
            return field + " (" + how + ")";
        }
    }

    static final List<Transition> TRANSITIONS = List.of(
            t("spec.version", "patch upgrade", Kind.ROLLING, (c, w) -> c.getSpec().setVersion("3.5.30")),
            t("spec.members", "a machine added", Kind.MIGRATION,
                    (c, w) -> c.getSpec().getMembers().add(new MemberSpec("etcd-new", "10.0.1.1"))),
            new Transition("spec.members", "a machine removed", Kind.MIGRATION, 2,
                    (c, w) -> c.getSpec().getMembers().remove(c.getSpec().getMembers().size() - 1)),
            t("spec.members[].address", "another machine (host swap)", Kind.MIGRATION,
                    (c, w) -> c.getSpec().getMembers().get(0).setAddress("10.0.1.9")),
            t("spec.members[].address", "the same machine re-spelled", Kind.REFUSED, (c, w) -> {
                String old = c.getSpec().getMembers().get(0).getAddress();
                w.alias("etcd-a.example", old);
                c.getSpec().getMembers().get(0).setAddress("etcd-a.example");
            }),
            t("spec.members[].address", "the same machine re-spelled while etcd is silent", Kind.REFUSED, (c, w) -> {
                w.silence();
                w.alias("etcd-a.example", c.getSpec().getMembers().get(0).getAddress());
                c.getSpec().getMembers().get(0).setAddress("etcd-a.example");
            }),
            t("spec.members[].name", "renamed", Kind.REFUSED, (c, w) -> c.getSpec().getMembers().get(0).setName("renamed")),
            t("spec.members[].name", "renamed while etcd is silent", Kind.REFUSED, (c, w) -> {
                w.silence();
                c.getSpec().getMembers().get(0).setName("renamed");
            }),
            t("spec.members[].sshPort", "changed", Kind.IN_PLACE, (c, w) -> c.getSpec().getMembers().get(0).setSshPort(2222)),
            t("spec.ssh.user", "changed", Kind.IN_PLACE, (c, w) -> c.getSpec().getSsh().setUser("deploy")),
            t("spec.ssh.port", "changed", Kind.IN_PLACE, (c, w) -> c.getSpec().getSsh().setPort(2222)),
            t("spec.ssh.privateKeySecretRef", "another key", Kind.IN_PLACE,
                    (c, w) -> c.getSpec().getSsh().setPrivateKeySecretRef(new SecretKeyRef("other", "key"))),
            t("spec.ssh.knownHostsSecretRef", "another Secret", Kind.IN_PLACE,
                    (c, w) -> c.getSpec().getSsh().setKnownHostsSecretRef(new SecretKeyRef("other", "known_hosts"))),
            t("spec.ssh.hostKeyPolicy", "AcceptNew", Kind.IN_PLACE,
                    (c, w) -> c.getSpec().getSsh().setHostKeyPolicy(HostKeyPolicy.AcceptNew)),
            t("spec.ssh.connectTimeoutSeconds", "changed", Kind.IN_PLACE, (c, w) -> c.getSpec().getSsh().setConnectTimeoutSeconds(30)),
            t("spec.binary.baseURL", "a mirror", Kind.IN_PLACE,
                    (c, w) -> c.getSpec().getBinary().setBaseURL("http://mirror.example/etcd")),
            t("spec.binary.sha256", "set", Kind.IN_PLACE, (c, w) -> c.getSpec().getBinary().setSha256("a".repeat(64))),
            t("spec.binary.delivery", "OperatorPush", Kind.IN_PLACE,
                    (c, w) -> c.getSpec().getBinary().setDelivery(BinaryDelivery.OperatorPush)),
            t("spec.binary.installDir", "changed", Kind.REFUSED, (c, w) -> c.getSpec().getBinary().setInstallDir("/opt/etcd/bin")),
            t("spec.etcd.clientPort", "changed", Kind.REFUSED, (c, w) -> c.getSpec().getEtcd().setClientPort(12379)),
            t("spec.etcd.peerPort", "changed", Kind.REFUSED, (c, w) -> c.getSpec().getEtcd().setPeerPort(12380)),
            t("spec.etcd.dataDir", "changed", Kind.REFUSED, (c, w) -> c.getSpec().getEtcd().setDataDir("/srv/etcd")),
            t("spec.etcd.runAsUser", "changed", Kind.REFUSED, (c, w) -> c.getSpec().getEtcd().setRunAsUser("etcd2")),
            t("spec.etcd.heartbeatIntervalMillis", "changed", Kind.ROLLING,
                    (c, w) -> c.getSpec().getEtcd().setHeartbeatIntervalMillis(150)),
            t("spec.etcd.electionTimeoutMillis", "changed", Kind.ROLLING,
                    (c, w) -> c.getSpec().getEtcd().setElectionTimeoutMillis(2000)),
            t("spec.etcd.quotaBackendBytes", "changed", Kind.ROLLING,
                    (c, w) -> c.getSpec().getEtcd().setQuotaBackendBytes(4L * 1024 * 1024 * 1024)),
            t("spec.etcd.autoCompactionRetention", "changed", Kind.ROLLING,
                    (c, w) -> c.getSpec().getEtcd().setAutoCompactionRetention("1h")),
            t("spec.tls.caSecretRef", "a Secret with another CA (phase 1 of its rotation)", Kind.ROLLING,
                    (c, w) -> c.getSpec().getTls().setCaSecretRef(new SecretRef("other-ca"))),
            t("spec.tls.certificateValidityDays", "changed", Kind.IN_PLACE,
                    (c, w) -> c.getSpec().getTls().setCertificateValidityDays(90)),
            t("spec.tls.renewBeforeDays", "changed", Kind.IN_PLACE, (c, w) -> c.getSpec().getTls().setRenewBeforeDays(10)),
            t("spec.backup", "snapshots to a store", Kind.IN_PLACE, (c, w) -> {
                BackupSpec backup = new BackupSpec();
                backup.setSchedule("@hourly");
                backup.setStore(new BackupStoreSpec());
                backup.getStore().setEndpoint("http://store.example:9000");
                backup.getStore().setBucket("backups");
                backup.getStore().setCredentialsSecretRef(new SecretRef("store-credentials"));
                c.getSpec().setBackup(backup);
            }),
            t("spec.bootstrap", "a snapshot to form from, once formed", Kind.IN_PLACE, (c, w) -> {
                BootstrapSpec bootstrap = new BootstrapSpec();
                bootstrap.setFromSnapshot(new SnapshotSourceSpec());
                bootstrap.getFromSnapshot().setLatestUnder("prod/ns/old/uid/");
                c.getSpec().setBootstrap(bootstrap);
            }),
            t("spec.deletionPolicy", "Wipe", Kind.IN_PLACE, (c, w) -> c.getSpec().setDeletionPolicy(DeletionPolicy.Wipe)),
            t("spec.paused", "true", Kind.IN_PLACE, (c, w) -> c.getSpec().setPaused(true)),
            t("spec.replaceFailedMemberAfterSeconds", "changed", Kind.IN_PLACE,
                    (c, w) -> c.getSpec().setReplaceFailedMemberAfterSeconds(0)),
            t("spec.restartDeadlineSeconds", "changed", Kind.IN_PLACE, (c, w) -> c.getSpec().setRestartDeadlineSeconds(600)));

    private static Transition t(String field, String how, Kind kind, BiConsumer<EtcdVmCluster, ClusterWorld> change) {
        return new Transition(field, how, kind, 1, change);
    }

    static Stream<Arguments> matrix() {
        return TRANSITIONS.stream().flatMap(t -> Stream.of(1, 2, 3, 5).filter(n -> n >= t.minMembers())
                .map(n -> Arguments.of(t, n)));
    }

    @ParameterizedTest(name = "{0} on {1} members")
    @MethodSource("matrix")
    void everyTransitionIsRolledMigratedOrRefusedWithoutLosingQuorumOrData(Transition transition, int size) {
        EtcdVmCluster before = cluster(size);
        ClusterWorld world = ClusterWorld.formed(before, plans(before, "ca"));
        EtcdVmCluster after = Serialization.clone(before);
        transition.change().accept(after, world);
        // Another CA is first trusted beside the one the members hold (phase 1 of a rotation, see CaRotationTest).
        Map<String, MemberPlan> plans = plans(after, after.getSpec().getTls().getCaSecretRef() == null ? "ca"
                : "ca" + "other-ca");

        List<MembershipChange> changes = new ArrayList<>();
        Decision first = null;
        for (int pass = 1; ; pass++) {
            assertThat(pass).as("passes until the change is carried out").isLessThanOrEqualTo(MAX_PASSES);
            Decision decision = Planning.decide(after, world.observe(after), plans, List.of("ca"), NOW);
            first = first == null ? decision : first;
            assertNoRunningDataPlannedAway(after, world, decision);
            MembershipChange change = decision.change();
            if (change instanceof MembershipChange.None || !decision.mode().acts()) {
                break;
            }
            if (change instanceof MembershipChange.Hold hold) {
                fail("the membership change is held: " + hold.message());
            }
            changes.add(change);
            world.apply(change);
            assertThat(world.healthyVoters()).as("healthy voters after " + change.describe())
                    .isGreaterThanOrEqualTo(MemberMatch.quorum(world.voters()));
            world.startJoiners(after, plans);
        }

        switch (transition.kind()) {
            case REFUSED -> {
                assertThat(first.mode()).isEqualTo(Decision.Mode.FREEZE);
                assertThat(first.reason()).isEqualTo("SpecChangeRefused");
                assertThat(first.refusedChanges()).extracting(v -> v.field().replaceAll("\\[[0-9]+]", "[]"))
                        .contains(transition.field());
                assertThat(first.provision()).isEmpty();
            }
            case MIGRATION -> {
                assertThat(changes).as("membership changes").isNotEmpty();
                assertThat(world.peerUrls()).as("etcd's members at the end").isEqualTo(after.getSpec().getMembers()
                        .stream().map(m -> ClusterWorld.peerUrl(after, m)).sorted().toList());
            }
            case ROLLING, IN_PLACE -> {
                assertThat(first.mode()).isIn(Decision.Mode.CONVERGE, Decision.Mode.PAUSED);
                assertThat(changes).as("membership changes").isEmpty();
                boolean rolled = after.getSpec().getMembers().stream()
                        .allMatch(m -> world.differsFrom(m.getAddress(), plans.get(m.getName())));
                boolean untouched = after.getSpec().getMembers().stream()
                        .noneMatch(m -> world.differsFrom(m.getAddress(), plans.get(m.getName())));
                assertThat(transition.kind() == Kind.ROLLING ? rolled : untouched)
                        .as(transition.kind() == Kind.ROLLING ? "every member's files or binary change"
                                : "no machine changes").isTrue();
            }
            default -> throw new IllegalStateException();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void theReadmeDocumentsEveryTransitionAsTested(String field, Set<Kind> kinds) throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Optional<String> row = readme.lines().filter(l -> l.startsWith("| `" + field + "`")).findFirst();
        assertThat(row).as("README transition table row for " + field).isPresent();
        for (Kind kind : kinds) {
            assertThat(row.get()).as("README row for " + field).contains(kind.word);
        }
    }

    /** Each field with what its transitions do (an address may migrate or be refused, depending on the machine). */
    static Stream<Arguments> fields() {
        Map<String, Set<Kind>> kinds = new LinkedHashMap<>();
        TRANSITIONS.forEach(t -> kinds.computeIfAbsent(t.field(), f -> EnumSet.noneOf(Kind.class)).add(t.kind()));
        return kinds.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /**
     * A machine holding the data of a member etcd lists now is only ever planned as that member: never
     * as a standby or a joiner, whose data would be archived first.
     */
    private static void assertNoRunningDataPlannedAway(EtcdVmCluster cluster, ClusterWorld world, Decision decision) {
        for (MemberSpec member : cluster.getSpec().getMembers()) {
            MemberPlan plan = decision.provision().get(member.getName());
            Optional<String> data = world.dataOf(member.getAddress()).filter(world::isMember);
            if (plan != null && data.isPresent()) {
                assertThat(plan.role()).as(member.getName() + " holds running member " + data.get())
                        .isEqualTo(MemberRole.MEMBER);
                assertThat(plan.memberId().orElse(data.get())).isEqualTo(data.get());
            }
        }
    }

    private static EtcdVmCluster cluster(int size) {
        List<MemberSpec> members = IntStream.rangeClosed(1, size)
                .mapToObj(i -> new MemberSpec("etcd-" + i, "10.0.0." + i)).toList();
        EtcdVmCluster cluster = Specs.cluster("matrix", "ns", members);
        cluster.getMetadata().setUid(ClusterWorld.UID);
        return cluster;
    }

    /** Plans with placeholder certificates signed, as far as the machines can tell, by {@code ca}. */
    private static Map<String, MemberPlan> plans(EtcdVmCluster cluster, String ca) {
        Map<String, MemberTls> members = new LinkedHashMap<>();
        cluster.getSpec().getMembers().forEach(m -> members.put(m.getName(),
                new MemberTls(ca, "server", "server-key", "peer", "peer-key")));
        return DesiredMembers.plans(cluster, new ClusterTls(ca, members, "op", "opk", NOW));
    }
}
