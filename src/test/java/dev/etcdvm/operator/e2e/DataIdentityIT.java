package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose data was emptied and that etcd started afresh under the same member id (ids derive from the spec) is
 * a loss, not a cluster: the identity the operator wrote into the data is missing. An idle cluster's raft index
 * cannot tell, since a re-formed cluster soon reaches the mark the old one was last seen at.
 */
class DataIdentityIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final String DATA_ID = "/var/lib/etcd/member/etcdvm-data-id";

    @Test
    void anIdleSingleMemberReformedOnEmptiedDataIsNeverReady(@TempDir Path dir) {
        Machine vm = fixture.fresh("vm2").get(0);
        fixture.api().client().resource(fixture.cluster("idle", "3.5.16", List.of(vm))).create();
        EtcdVmCluster ready = fixture.awaitReady("idle", READY_WITHIN);
        String recorded = ready.getStatus().getMembers().get(0).getDataId();
        assertThat(recorded).as("Ready only once the member's data carries an identity").isNotBlank();
        assertThat(testbed.sshExec(vm, "root", "cat " + DATA_ID).stdout().strip()).isEqualTo(recorded);
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret("idle"), dir);
        await().atMost(Duration.ofSeconds(20)).until(() -> etcdctl.run("put", "/kept/key", "value"),
                put -> put.exitCode() == 0);

        // The operator is down while it happens, and the new cluster is written to past the raft index the old one
        // was last seen at (as an idle cluster's soon is): only the data's identity can tell now.
        long mark = fixture.resource("idle").get().getStatus().getHighestRaftIndex();
        fixture.stopOperator();
        // Started as at its formation: the same token and peers, so the same member and cluster ids.
        String formation = "ETCD_INITIAL_CLUSTER=etcd-vm2=https://" + vm.address() + ":2380\\n"
                + "ETCD_INITIAL_CLUSTER_STATE=new\\nETCD_INITIAL_CLUSTER_TOKEN=" + ready.getMetadata().getUid() + "\\n";
        CommandResult reformed = testbed.sshExec(vm, "root", "systemctl stop etcd && rm -rf /var/lib/etcd/member"
                + " && printf '" + formation + "' > /etc/etcd/initial-cluster.env && systemctl start etcd");
        assertThat(reformed.exitCode()).as(reformed.toString()).isZero();
        assertThat(EtcdData.endpointStatus(etcdctl).path("header").path("cluster_id").bigIntegerValue().toString(16))
                .as("the same cluster id as before").isEqualTo(ready.getStatus().getClusterId());
        assertThat(etcdctl.run("get", "/kept/key", "--print-value-only").stdout().strip())
                .as("etcd serves again, on empty data").isEmpty();
        for (int i = 0; EtcdData.endpointStatus(etcdctl).path("raftIndex").asLong() <= mark; i++) {
            assertThat(etcdctl.run("put", "/new/" + i, "x").exitCode()).isZero();
        }
        fixture.startOperator();

        // Every status written by a pass that probed after the data was emptied (the status before it is stale).
        long emptied = Instant.now().getEpochSecond();
        List<String> readySeen = new ArrayList<>();
        EtcdVmCluster lost = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> fixture.resource("idle").get(), c -> {
                    condition(c, "Ready").filter(r -> "True".equals(r.getStatus()) && probedSecond(c) > emptied)
                            .ifPresent(r -> readySeen.add(r.getReason() + " probed at " + probedSecond(c)));
                    return condition(c, "Ready").map(r -> "DataLossDetected".equals(r.getReason())).orElse(false);
                });
        assertThat(readySeen).as("Ready after the data was emptied").isEmpty();
        assertThat(condition(lost, "Ready").orElseThrow().getMessage()).contains("etcd-vm2", "identity");
        // Frozen over the next passes: nothing marks the new data as the member's.
        long probed = lastProbeSecond("idle");
        await().atMost(Duration.ofSeconds(40)).until(() -> lastProbeSecond("idle") >= probed + 6);
        EtcdVmCluster still = fixture.resource("idle").get();
        assertThat(condition(still, "Ready").orElseThrow().getReason()).isEqualTo("DataLossDetected");
        assertThat(still.getStatus().getMembers().get(0).getDataId()).isEqualTo(recorded);
        assertThat(testbed.sshExec(vm, "root", "test -e " + DATA_ID).exitCode()).as("not marked").isNotZero();

        fixture.edit("idle", c -> {
            c.getMetadata().setAnnotations(Map.of(EtcdVmCluster.ACCEPT_DATA_LOSS_ANNOTATION, "emptied by hand"));
            return c;
        });
        EtcdVmCluster resumed = fixture.awaitReady("idle", READY_WITHIN);
        assertThat(resumed.getStatus().getMembers().get(0).getDataId()).as("the data left, marked anew")
                .isNotBlank().isNotEqualTo(recorded);
    }

    private long lastProbeSecond(String cluster) {
        return probedSecond(fixture.resource(cluster).get());
    }

    private static long probedSecond(EtcdVmCluster cluster) {
        return Instant.parse(cluster.getStatus().getMembers().get(0).getLastProbeTime()).getEpochSecond();
    }
}
