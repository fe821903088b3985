package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.etcd.NumberedWriter;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planned rolling restart on real members looks planned: followers first, the leader last after
 * leadership moved away, no acknowledged write lost, and the cluster reads Upgrading and Ready throughout,
 * never Degraded.
 */
class RolloutIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void aRollingUpgradeRestartsTheLeaderLastLosesNoWriteAndNeverReadsDegraded(@TempDir Path dir) throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        fixture.api().client().resource(fixture.cluster("upgraded", "3.4.23", vms)).create();
        String leader = fixture.awaitReady("upgraded", READY_WITHIN).getStatus().getLeader();
        MembershipProbe probe = new MembershipProbe(fixture, testbed, dir);

        Set<String> seen = ConcurrentHashMap.newKeySet();
        long started;
        long took;
        try (NumberedWriter writer = probe.writer("upgraded"); Sampler ignored = new Sampler("upgraded", seen)) {
            started = System.nanoTime();
            fixture.resource("upgraded").edit(c -> {
                c.getSpec().setVersion("3.5.16");
                return c;
            });
            EtcdVmCluster upgraded = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fixture.resource("upgraded").get(), c -> "3.5.16".equals(c.getStatus().getVersion())
                            && c.getStatus().getPhase().name().equals("Running"));
            took = System.nanoTime() - started;
            assertThat(upgraded.getStatus().getMembers()).allSatisfy(m -> assertThat(m.getVersion()).isEqualTo("3.5.16"));
            MembershipProbe.assertNoAcknowledgedWriteLost(writer, ELECTION_TIMEOUT);
        }
        System.out.printf("rolling upgrade 3.4.23 -> 3.5.16 of 3 members: %d ms%n", took / 1_000_000);

        Machine restartedLast = vms.stream().max(Comparator.comparingLong(this::processStarted)).orElseThrow();
        assertThat("etcd-" + restartedLast.name()).as("the member restarted last").isEqualTo(leader);
        assertThat(probe.events("upgraded", "LeadershipMoved")).isNotEmpty();
        assertThat(seen).as("phase, Ready and Degraded as sampled during the upgrade")
                .contains("phase=Upgrading").doesNotContain("Ready=False", "Degraded=True", "phase=Degraded");
        assertThat(took).as("nanoseconds for 3 members").isLessThan(Duration.ofSeconds(60).toNanos());
    }

    /** When etcd's current process started on the machine, on the host's monotonic clock all machines share. */
    private long processStarted(Machine vm) {
        return Long.parseLong(testbed.sshExec(vm, "root", "systemctl show -p ExecMainStartTimestampMonotonic --value etcd")
                .stdout().trim());
    }

    /** Records every phase, Ready and Degraded value the resource shows, every 100 ms. */
    private final class Sampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(String cluster, Set<String> seen) {
            thread = new Thread(() -> {
                while (running) {
                    EtcdVmCluster c = fixture.resource(cluster).get();
                    if (c != null && c.getStatus() != null && c.getStatus().getPhase() != null) {
                        seen.add("phase=" + c.getStatus().getPhase());
                        condition(c, "Ready").ifPresent(r -> seen.add("Ready=" + r.getStatus()));
                        condition(c, "Degraded").ifPresent(d -> seen.add("Degraded=" + d.getStatus()));
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "status-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
