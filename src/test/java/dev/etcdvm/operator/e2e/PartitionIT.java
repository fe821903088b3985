package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the operator sees from one side of a network split is not a fact about the other side. A zone split that
 * leaves the operator with one member (vm1) and the majority (vm2, vm3) out of sight is a partition, never a
 * quorum loss to recover from, even with a recover-quorum value left on the resource from before; and the operator
 * cut off from a majority that still serves only sees the cluster degraded.
 */
class PartitionIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    /** quorumLossAfterSeconds at its minimum (5 s), plus a pass caught mid-command by the split. */
    private static final Duration DECLARED_WITHIN = Duration.ofSeconds(90);

    private Path dir;

    @BeforeEach
    void dir(@TempDir Path dir) {
        this.dir = dir;
    }

    @AfterEach
    void heal() {
        testbed.unsplit();
        for (String vm : List.of("vm2", "vm3")) {
            testbed.reconnect(vm);
        }
    }

    @Test
    void aZoneSplitIsAPartitionTheMajorityKeepsServingAndNoRecoveryRuns() throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        EtcdctlClient etcdctl = formed("zones", vms);
        // Left on the resource while it was healthy, as in the issue: never acted on.
        fixture.annotate("zones", EtcdVmCluster.RECOVER_QUORUM_ANNOTATION, "survivor");
        assertThat(etcdctl.run("put", "/before", "1").exitCode()).isZero();
        String clusterId = fixture.resource("zones").get().getStatus().getClusterId();

        testbed.split(List.of("vm1"), List.of("vm2", "vm3"));
        testbed.cutoff("vm2");
        testbed.cutoff("vm3");
        long split = System.nanoTime();
        EtcdVmCluster partitioned = await().atMost(DECLARED_WITHIN).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.resource("zones").get(), c -> condition(c, "Ready")
                        .filter(r -> "Unreachable".equals(r.getReason())).isPresent());
        System.out.printf("zone split -> Unreachable: %d ms%n", (System.nanoTime() - split) / 1_000_000);
        assertThat(partitioned.getStatus().getPhase().name()).isEqualTo("Degraded");
        assertThat(partitioned.getStatus().getQuorumLoss().getUnreachableMembers())
                .containsExactlyInAnyOrder("etcd-vm2", "etcd-vm3");
        assertThat(partitioned.getStatus().getQuorumLoss().getOutMembers()).as("nothing proves them lost").isEmpty();
        assertThat(condition(partitioned, "Ready").map(Condition::getMessage).orElseThrow())
                .contains("etcd-vm2", "etcd-vm3", "network split");
        EtcdVmCluster refused = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.resource("zones").get(), c -> c.getStatus().getQuorumLoss() != null
                        && c.getStatus().getQuorumLoss().getMessage() != null);
        assertThat(refused.getStatus().getQuorumLoss().getMessage()).contains("names no loss");

        // The majority side serves; the operator's side does not: at no time do two cluster ids take writes.
        String vm2 = "https://" + vms.get(1).address() + ":2379";
        String vm1 = "https://" + vms.get(0).address() + ":2379";
        CommandResult majority = etcdctl.runFrom("etcdvm-vm2", vm2, "put", "/during-split", "majority");
        assertThat(majority.exitCode()).as(majority.toString()).isZero();
        CommandResult minority = etcdctl.runFrom("etcdvm-vm1", vm1, "put", "/minority", "x");
        assertThat(minority.exitCode()).as("vm1 alone takes no write: " + minority).isNotZero();
        // Passes go on while split: still no recovery, nothing set aside, vm1 still the old cluster's member.
        try (PlanLog plans = new PlanLog(fixture.api().namespace(), "zones")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> plans.passes().size() >= 3);
            assertThat(plans.acting()).as("nothing acted while split").isEmpty();
        }
        assertThat(fixture.resource("zones").get().getStatus().getLastRecovery()).isNull();
        assertThat(etcdctl.runFrom("etcdvm-vm1", vm1, "put", "/minority", "x").exitCode()).isNotZero();

        testbed.reconnect("vm2");
        testbed.reconnect("vm3");
        testbed.unsplit();
        long healed = System.nanoTime();
        EtcdVmCluster ready = fixture.awaitReady("zones", READY_WITHIN);
        System.out.printf("healed -> Ready: %d ms%n", (System.nanoTime() - healed) / 1_000_000);
        assertThat(ready.getStatus().getClusterId()).isEqualTo(clusterId);
        assertThat(ready.getStatus().getLastRecovery()).as("no recovery ran").isNull();
        assertThat(ready.getStatus().getQuorumLoss()).isNull();
        Set<String> ids = new TreeSet<>();
        for (Machine vm : vms) {
            CommandResult status = etcdctl.runFrom("etcdvm-" + vm.name(), "https://" + vm.address() + ":2379",
                    "endpoint", "status", "-w", "json");
            assertThat(status.exitCode()).as(status.toString()).isZero();
            ids.add(EtcdData.tree(status.stdout()).get(0).path("Status").path("header").path("cluster_id").asText());
            assertThat(testbed.sshExec(vm, "root", "ls -d /var/lib/etcd.recovery-*").exitCode())
                    .as("nothing set aside on " + vm.name()).isNotZero();
        }
        assertThat(ids).as("one cluster id on every member").hasSize(1);
        assertThat(etcdctl.run("get", "/during-split", "--print-value-only").stdout().strip())
                .as("the majority's write").isEqualTo("majority");
        assertThat(etcdctl.run("get", "/before", "--print-value-only").stdout().strip()).isEqualTo("1");
    }

    @Test
    void theOperatorCutOffFromAMajoritySeesItDegradedAndRecoversNothing() throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        EtcdctlClient etcdctl = formed("blind", vms);
        String clusterId = fixture.resource("blind").get().getStatus().getClusterId();

        testbed.cutoff("vm2");
        testbed.cutoff("vm3");
        EtcdVmCluster degraded = await().atMost(DECLARED_WITHIN).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.resource("blind").get(), c -> c.getStatus().getPhase() != null
                        && "Degraded".equals(c.getStatus().getPhase().name()));
        assertThat(degraded.getStatus().getQuorumLoss()).as("a member leads: no outage").isNull();
        CommandResult write = etcdctl.runFrom("etcdvm-vm1", "https://" + vms.get(0).address() + ":2379",
                "put", "/while-blind", "1");
        assertThat(write.exitCode()).as("the cluster serves: " + write).isZero();
        try (PlanLog plans = new PlanLog(fixture.api().namespace(), "blind")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> plans.passes().size() >= 3);
        }
        EtcdVmCluster still = fixture.resource("blind").get();
        assertThat(still.getStatus().getPhase().name()).isEqualTo("Degraded");
        assertThat(still.getStatus().getLastRecovery()).isNull();

        testbed.reconnect("vm2");
        testbed.reconnect("vm3");
        EtcdVmCluster ready = fixture.awaitReady("blind", READY_WITHIN);
        assertThat(ready.getStatus().getPhase().name()).isEqualTo("Running");
        assertThat(ready.getStatus().getClusterId()).isEqualTo(clusterId);
        assertThat(etcdctl.run("get", "/while-blind", "--print-value-only").stdout().strip()).isEqualTo("1");
    }

    private EtcdctlClient formed(String name, List<Machine> vms) throws Exception {
        EtcdVmCluster cluster = fixture.cluster(name, "3.5.16", vms);
        cluster.getSpec().setQuorumLossAfterSeconds(5);
        fixture.api().client().resource(cluster).create();
        fixture.awaitReady(name, READY_WITHIN);
        return new EtcdctlClient(fixture.consumerSecret(name), Files.createDirectory(dir.resolve(name)));
    }
}
