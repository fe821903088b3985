package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.etcd.NumberedWriter;
import dev.etcdvm.operator.reconciler.pass.Failpoints.Point;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A planned rolling restart on real members looks planned: followers first, the leader last after
 * leadership moved away, no acknowledged write lost, the cluster reads Upgrading while it happens, even when
 * the operator dies in the middle and a fresh one takes over.
 */
class RolloutIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);

    /** @param killed the operator dies right after the first restart; a fresh one finishes the upgrade */
    @ParameterizedTest(name = "{0} -> {1}, operator killed after the first restart: {2}")
    @CsvSource({"3.4.23, 3.5.16, false", "3.5.16, 3.5.30, true"})
    void aRollingUpgradeRestartsTheLeaderLastLosesNoWriteAndNeverReadsDegraded(String from, String to, boolean killed,
            @TempDir Path dir) throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        String name = "to-" + to.replace('.', '-'); // Secrets of a deleted cluster may outlive it (no GC in the mock)
        fixture.api().client().resource(fixture.cluster(name, from, vms)).create();
        String leader = fixture.awaitReady(name, READY_WITHIN).getStatus().getLeader();
        MembershipProbe probe = new MembershipProbe(fixture, testbed, dir);

        Set<String> seen;
        long started;
        long took;
        try (NumberedWriter writer = probe.writer(name);
                MembershipProbe.PhaseSampler sampler = new MembershipProbe.PhaseSampler(fixture, name)) {
            KillSwitch killSwitch = new KillSwitch(Point.AFTER_RESTART);
            if (killed) {
                fixture.stopOperator();
                fixture.startOperator(killSwitch);
            }
            started = System.nanoTime();
            fixture.edit(name, c -> {
                c.getSpec().setVersion(to);
                return c;
            });
            if (killed) {
                killSwitch.awaitKilled(Duration.ofSeconds(60));
                fixture.stopOperator();
                fixture.startOperator();
            }
            EtcdVmCluster upgraded = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fixture.resource(name).get(), c -> to.equals(c.getStatus().getVersion())
                            && c.getStatus().getPhase().name().equals("Running"));
            took = System.nanoTime() - started;
            assertThat(upgraded.getStatus().getMembers()).allSatisfy(m -> assertThat(m.getVersion()).isEqualTo(to));
            assertThat(upgraded.getStatus().getClusterVersion()).as("etcd's cluster version once Running")
                    .isEqualTo(to.substring(0, to.lastIndexOf('.')) + ".0");
            MembershipProbe.assertNoAcknowledgedWriteLost(writer, ELECTION_TIMEOUT);
            seen = sampler.seen();
        }
        System.out.printf("rolling upgrade %s -> %s of 3 members: %d ms%n", from, to, took / 1_000_000);

        Machine restartedLast = vms.stream().max(Comparator.comparingLong(this::processStarted)).orElseThrow();
        assertThat("etcd-" + restartedLast.name()).as("the member restarted last").isEqualTo(leader);
        assertThat(probe.events(name, "LeadershipMoved")).isNotEmpty();
        System.out.printf("sampled during the upgrade: %s%n", seen);
        assertThat(seen).as("phase, Ready and Degraded as sampled during the upgrade").contains("cluster:Upgrading")
                .doesNotContain("Degraded=True", "Ready=False");
        EtcdVmCluster done = fixture.resource(name).get();
        assertThat(condition(done, "Degraded").get().getStatus()).isEqualTo("False");
        assertThat(took).as("nanoseconds for 3 members").isLessThan(Duration.ofSeconds(90).toNanos());
    }

    /**
     * A release whose etcd does not start (its checksum matches: the mirror is ours) halts the rollout after
     * its first member: RolloutStalled, the other members untouched on the old binary, and setting the
     * version back brings the stalled member back.
     */
    @Test
    void aReleaseThatDoesNotStartHaltsTheRolloutAfterOneMemberAndCanBeRolledBack(@TempDir Path dir) throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        String name = "stalls";
        EtcdVmCluster cluster = fixture.cluster(name, "3.5.16", vms);
        cluster.getSpec().setRestartDeadlineSeconds(15);
        fixture.api().client().resource(cluster).create();
        String leader = fixture.awaitReady(name, READY_WITHIN).getStatus().getLeader();
        Map<String, String> pids = vms.stream().collect(Collectors.toMap(Machine::name, this::mainPid));

        try (BrokenRelease broken = BrokenRelease.serve("3.5.99", URI.create(testbed.mirrorUrl()).getHost(), dir)) {
            fixture.edit(name, c -> {
                c.getSpec().setVersion("3.5.99");
                c.getSpec().getBinary().setBaseURL(broken.url());
                return c;
            });
            EtcdVmCluster stalled = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> fixture.resource(name).get(), c -> condition(c, "Progressing")
                            .map(p -> "RolloutStalled".equals(p.getReason())).orElse(false));

            assertThat(stalled.getStatus().getPhase().name()).isEqualTo("Degraded");
            assertThat(condition(stalled, "Ready").get().getStatus()).isEqualTo("False");
            List<Machine> untouched = vms.stream().filter(vm -> pids.get(vm.name()).equals(mainPid(vm))).toList();
            assertThat(untouched).as("members still running their first etcd process").hasSize(2);
            for (Machine vm : untouched) {
                assertThat(installedVersion(vm)).as(vm.name() + "'s etcd binary").isEqualTo("3.5.16");
            }
            assertThat(untouched.stream().map(vm -> "etcd-" + vm.name())).as("the leader is never first").contains(leader);
            assertThat(new MembershipProbe(fixture, testbed, dir).events(name, "MemberRestarted")).hasSize(1);
        }

        fixture.edit(name, c -> {
            c.getSpec().setVersion("3.5.16");
            c.getSpec().getBinary().setBaseURL(testbed.mirrorUrl());
            return c;
        });
        EtcdVmCluster back = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.resource(name).get(), c -> "Running".equals(c.getStatus().getPhase().name())
                        && "3/3".equals(c.getStatus().getReadyMembers()));
        assertThat(back.getStatus().getMembers()).allSatisfy(m -> assertThat(m.getVersion()).isEqualTo("3.5.16"));
        assertThat(vms.stream().map(this::installedVersion)).containsOnly("3.5.16");
    }

    /**
     * etcd's guide allows rolling a minor upgrade back while some member still runs the old minor (the
     * cluster version is still the old one): the upgrade stops after its first member (the operator dies
     * there), the version is set back, and a fresh operator brings that member back to the old binary.
     */
    @Test
    void aPartlyDoneMinorUpgradeIsRolledBack(@TempDir Path dir) throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        String name = "rolled-back";
        fixture.api().client().resource(fixture.cluster(name, "3.4.23", vms)).create();
        fixture.awaitReady(name, READY_WITHIN);
        MembershipProbe probe = new MembershipProbe(fixture, testbed, dir);
        try (NumberedWriter writer = probe.writer(name)) {
            KillSwitch killSwitch = new KillSwitch(Point.AFTER_RESTART);
            fixture.stopOperator();
            fixture.startOperator(killSwitch);
            fixture.edit(name, c -> {
                c.getSpec().setVersion("3.5.16");
                return c;
            });
            killSwitch.awaitKilled(Duration.ofSeconds(60));
            fixture.stopOperator();
            await().atMost(Duration.ofSeconds(30)).until(() -> vms.stream().map(this::installedVersion).toList(),
                    versions -> versions.contains("3.5.16"));
            fixture.edit(name, c -> {
                c.getSpec().setVersion("3.4.23");
                return c;
            });
            fixture.startOperator();
            EtcdVmCluster back = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fixture.resource(name).get(), c -> c.getMetadata().getGeneration()
                            .equals(c.getStatus().getObservedGeneration()) && c.getStatus().getMembers().stream()
                            .allMatch(m -> "3.4.23".equals(m.getVersion()))
                            && "Running".equals(c.getStatus().getPhase().name()));
            assertThat(back.getStatus().getClusterVersion()).isEqualTo("3.4.0");
            assertThat(vms.stream().map(this::installedVersion)).containsOnly("3.4.23");
            MembershipProbe.assertNoAcknowledgedWriteLost(writer, ELECTION_TIMEOUT);
        }
    }

    private String installedVersion(Machine vm) {
        return testbed.sshExec(vm, "root", "/usr/local/bin/etcd --version | sed -n 's/^etcd Version: //p'")
                .stdout().trim();
    }

    /** When etcd's current process started on the machine, on the host's monotonic clock all machines share. */
    private long processStarted(Machine vm) {
        return Long.parseLong(testbed.sshExec(vm, "root", "systemctl show -p ExecMainStartTimestampMonotonic --value etcd")
                .stdout().trim());
    }
}
