package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.BootstrapSpec;
import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.api.v1alpha1.SnapshotSourceSpec;
import dev.etcdvm.operator.testbed.Testbed;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data round trip on real machines: 10,000 keys, a snapshot into a real S3 API, the cluster deleted with
 * its data wiped, and a new cluster on other machines formed from that snapshot.
 */
class RestoreIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 10_000;
    /** etcd refuses a transaction of more operations than its --max-txn-ops, 128 by default. */
    private static final int PER_TXN = 125;

    @Test
    void aNewClusterFormedFromASnapshotHoldsEveryKeyUnderANewIdWithItsRevisionMovedForward(@TempDir Path dir)
            throws Exception {
        Testbed.Store store = testbed.store();
        fixture.api().client().secrets().inNamespace(fixture.api().namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName("store-credentials").endMetadata()
                .addToStringData("accessKeyId", store.accessKeyId())
                .addToStringData("secretAccessKey", store.secretAccessKey()).build()).createOr(op -> op.update());
        EtcdVmCluster origin = withStore(fixture.cluster("origin", "3.5.16", fixture.fresh("vm1", "vm2", "vm3")), store);
        origin.getSpec().setDeletionPolicy(DeletionPolicy.Wipe);
        fixture.api().client().resource(origin).create();
        String originUid = fixture.awaitReady("origin", READY_WITHIN).getMetadata().getUid();
        EtcdctlClient before = new EtcdctlClient(fixture.consumerSecret("origin"), Files.createDirectory(dir.resolve("origin")));
        Map<String, String> written = writeKeys(before, dir);
        assertThat(readAll(before)).as("what etcd holds before").isEqualTo(written);
        JsonNode statusBefore = endpointStatus(before);

        fixture.resource("origin").edit(c -> {
            c.getMetadata().setAnnotations(new HashMap<>(Map.of(EtcdVmCluster.BACKUP_NOW_ANNOTATION, "before-delete")));
            return c;
        });
        EtcdVmCluster backedUp = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> fixture.resource("origin").get(), c -> c.getStatus().getBackup() != null
                        && "before-delete".equals(c.getStatus().getBackup().getLastRequest()));
        String snapshot = backedUp.getStatus().getBackup().getLastSnapshot().getKey();
        long snapshotRevision = backedUp.getStatus().getBackup().getLastSnapshot().getRevision();
        fixture.resource("origin").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.resource("origin").get() == null);

        List<Machine> others = fixture.fresh("vm4", "vm5", "vm1");
        EtcdVmCluster restored = withStore(fixture.cluster("restored", "3.5.16", others), store);
        restored.getSpec().setBootstrap(new BootstrapSpec());
        restored.getSpec().getBootstrap().setFromSnapshot(new SnapshotSourceSpec());
        restored.getSpec().getBootstrap().getFromSnapshot()
                .setLatestUnder("restore-it/" + fixture.api().namespace() + "/origin/" + originUid + "/");
        fixture.api().client().resource(restored).create();
        EtcdVmCluster ready = fixture.awaitReady("restored", READY_WITHIN);

        EtcdctlClient after = new EtcdctlClient(fixture.consumerSecret("restored"), Files.createDirectory(dir.resolve("restored")));
        assertThat(readAll(after)).as("every key and value, restored").isEqualTo(written);
        JsonNode statusAfter = endpointStatus(after);
        assertThat(statusAfter.path("header").path("revision").asLong()).as("revision moved forward, never back")
                .isGreaterThan(statusBefore.path("header").path("revision").asLong())
                .isGreaterThanOrEqualTo(snapshotRevision + 1_000_000_000L);
        assertThat(statusAfter.path("header").path("cluster_id").asText())
                .isNotEqualTo(statusBefore.path("header").path("cluster_id").asText());
        assertThat(ready.getStatus().getRestoredFrom().getKey()).isEqualTo(snapshot);
        assertThat(ready.getStatus().getMembers()).hasSize(3);
        assertThat(condition(ready, "SpecValid").map(c -> c.getStatus())).contains("True");
    }

    private static EtcdVmCluster withStore(EtcdVmCluster cluster, Testbed.Store store) {
        BackupSpec backup = new BackupSpec();
        backup.setStore(new BackupStoreSpec());
        backup.getStore().setEndpoint(store.endpoint());
        backup.getStore().setBucket(store.bucket());
        backup.getStore().setPrefix("restore-it");
        backup.getStore().setCredentialsSecretRef(new SecretRef("store-credentials"));
        cluster.getSpec().setBackup(backup);
        return cluster;
    }

    /** 10,000 keys in transactions of {@link #PER_TXN} puts, each value unique to this run. */
    private static Map<String, String> writeKeys(EtcdctlClient etcdctl, Path dir) throws Exception {
        Map<String, String> written = new TreeMap<>();
        String run = UUID.randomUUID().toString();
        for (int first = 0; first < KEYS; first += PER_TXN) {
            StringBuilder txn = new StringBuilder("\n");
            for (int i = first; i < Math.min(KEYS, first + PER_TXN); i++) {
                String key = String.format("/data/%05d", i);
                String value = "value-" + i + "-" + run;
                written.put(key, value);
                txn.append("put ").append(key).append(' ').append(value).append('\n');
            }
            txn.append("\n\n"); // the end of the puts, then of the (empty) failure branch
            Path input = dir.resolve("txn");
            Files.writeString(input, txn);
            var result = etcdctl.runWithInput(input, "txn");
            assertThat(result.exitCode()).as(result.toString()).isZero();
        }
        return written;
    }

    private static Map<String, String> readAll(EtcdctlClient etcdctl) throws Exception {
        var result = etcdctl.run("get", "/data/", "--prefix", "-w", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, String> found = new TreeMap<>();
        for (JsonNode kv : Optional.ofNullable(JSON.readTree(result.stdout()).get("kvs")).orElse(JSON.createArrayNode())) {
            found.put(decode(kv.get("key").asText()), decode(kv.get("value").asText()));
        }
        return found;
    }

    private static JsonNode endpointStatus(EtcdctlClient etcdctl) throws Exception {
        var result = etcdctl.run("endpoint", "status", "-w", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return JSON.readTree(result.stdout()).get(0).get("Status");
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
