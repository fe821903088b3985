package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.etcdvm.operator.api.v1alpha1.BootstrapSpec;
import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SnapshotSourceSpec;
import dev.etcdvm.operator.testbed.Testbed;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data round trip on real machines: 10,000 keys, a snapshot into a real S3 API, the cluster deleted with
 * its data wiped, and a new cluster on other machines formed from that snapshot.
 */
class RestoreIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final int KEYS = 10_000;

    @Test
    void aNewClusterFormedFromASnapshotHoldsEveryKeyUnderANewIdWithItsRevisionMovedForward(@TempDir Path dir)
            throws Exception {
        Testbed.Store store = testbed.store();
        EtcdVmCluster origin = fixture.backupTo(fixture.cluster("origin", "3.5.16", fixture.fresh("vm1", "vm2", "vm3")), store, "restore-it");
        origin.getSpec().setDeletionPolicy(DeletionPolicy.Wipe);
        fixture.api().client().resource(origin).create();
        String originUid = fixture.awaitReady("origin", READY_WITHIN).getMetadata().getUid();
        EtcdctlClient before = new EtcdctlClient(fixture.consumerSecret("origin"), Files.createDirectory(dir.resolve("origin")));
        Map<String, String> written = EtcdData.write(before, dir, "/data/", KEYS);
        assertThat(EtcdData.read(before, "/data/")).as("what etcd holds before").isEqualTo(written);
        JsonNode statusBefore = EtcdData.endpointStatus(before);

        fixture.annotate("origin", EtcdVmCluster.BACKUP_NOW_ANNOTATION, "before-delete");
        EtcdVmCluster backedUp = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> fixture.resource("origin").get(), c -> c.getStatus().getBackup() != null
                        && "before-delete".equals(c.getStatus().getBackup().getLastRequest()));
        String snapshot = backedUp.getStatus().getBackup().getLastSnapshot().getKey();
        long snapshotRevision = backedUp.getStatus().getBackup().getLastSnapshot().getRevision();
        fixture.resource("origin").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.resource("origin").get() == null);

        List<Machine> others = fixture.fresh("vm4", "vm5", "vm1");
        EtcdVmCluster restored = fixture.backupTo(fixture.cluster("restored", "3.5.16", others), store, "restore-it");
        restored.getSpec().setBootstrap(new BootstrapSpec());
        restored.getSpec().getBootstrap().setFromSnapshot(new SnapshotSourceSpec());
        restored.getSpec().getBootstrap().getFromSnapshot()
                .setLatestUnder("restore-it/" + fixture.api().namespace() + "/origin/" + originUid + "/");
        fixture.api().client().resource(restored).create();
        EtcdVmCluster ready = fixture.awaitReady("restored", READY_WITHIN);

        EtcdctlClient after = new EtcdctlClient(fixture.consumerSecret("restored"), Files.createDirectory(dir.resolve("restored")));
        assertThat(EtcdData.read(after, "/data/")).as("every key and value, restored").isEqualTo(written);
        JsonNode statusAfter = EtcdData.endpointStatus(after);
        assertThat(statusAfter.path("header").path("revision").asLong()).as("revision moved forward, never back")
                .isGreaterThan(statusBefore.path("header").path("revision").asLong())
                .isGreaterThanOrEqualTo(snapshotRevision + 1_000_000_000L);
        assertThat(statusAfter.path("header").path("cluster_id").asText())
                .isNotEqualTo(statusBefore.path("header").path("cluster_id").asText());
        assertThat(ready.getStatus().getRestoredFrom().getKey()).isEqualTo(snapshot);
        assertThat(ready.getStatus().getMembers()).hasSize(3);
        assertThat(condition(ready, "SpecValid").map(c -> c.getStatus())).contains("True");
    }
}
