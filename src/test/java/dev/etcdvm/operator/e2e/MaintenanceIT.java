package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.etcd.NumberedWriter;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routine maintenance on real members: a fragmented database defragmented member by member, the leader last, while
 * a client writes every 50 ms and loses nothing; and a NOSPACE alarm from a small quota filled by the test recovered
 * to Ready without a human.
 */
class MaintenanceIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024 * 1024;

    private MembershipProbe probe;
    private Path dir;

    @BeforeEach
    void probe(@TempDir Path dir) {
        this.dir = dir;
        probe = new MembershipProbe(fixture, testbed, dir);
    }

    @Test
    void aFragmentedDatabaseIsDefragmentedLeaderLastWhileAClientWrites() throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        EtcdVmCluster cluster = fixture.cluster("defrag", "3.5.16", vms);
        cluster.getSpec().getMaintenance().setDefragment(false); // off while the test makes the free space
        cluster.getSpec().getMaintenance().setDefragmentAboveBytes(4 * MIB);
        cluster.getSpec().getMaintenance().setPauseBetweenMembersSeconds(2);
        fixture.api().client().resource(cluster).create();
        fixture.awaitReady("defrag", READY_WITHIN);
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret("defrag"), Files.createDirectory(dir.resolve("c")));

        // 12 MiB written, deleted and compacted away: each member's database is mostly free space.
        fillWith(etcdctl, "/bulk/", 12);
        assertThat(etcdctl.run("del", "/bulk/", "--prefix").exitCode()).isZero();
        long revision = EtcdData.endpointStatus(etcdctl).path("header").path("revision").asLong();
        assertThat(etcdctl.run("compact", Long.toString(revision), "--physical").exitCode()).isZero();
        // A member reports the space in use as of its last write transaction, and applies the compaction on its own
        // time: a write each look brings every member's figure up to date, as a cluster in use always does. Wait until
        // every one reports its database mostly free.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                etcdctl.run("put", "/compacted", "yes").exitCode() == 0
                        && dbSizes(etcdctl, "dbSizeInUse").values().stream().allMatch(inUse -> inUse < 2 * MIB));
        Map<String, Long> before = dbSizes(etcdctl, "dbSize");
        assertThat(before.values()).allMatch(size -> size > 8 * MIB);

        try (NumberedWriter writer = probe.writer("defrag")) {
            long started = System.nanoTime();
            fixture.edit("defrag", c -> {
                c.getSpec().getMaintenance().setDefragment(true);
                return c;
            });
            EtcdVmCluster done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> fixture.resource("defrag").get(), c -> c.getStatus().getMaintenance() != null
                            && "Fragmented".equals(c.getStatus().getMaintenance().getLastRound()));
            System.out.printf("defragmentation round of 3 members: %d ms%n", (System.nanoTime() - started) / 1_000_000);
            List<String> order = probe.events("defrag", "Defragmented").stream()
                    .sorted(Comparator.comparing(Event::getLastTimestamp).thenComparing(e -> e.getMetadata().getName()))
                    .map(e -> e.getMessage().split(" ")[1].replace(":", "")).toList();
            assertThat(order).hasSize(3).doesNotHaveDuplicates();
            assertThat(order.get(2)).as("the leader last").isEqualTo(done.getStatus().getLeader());
            MembershipProbe.assertNoAcknowledgedWriteLost(writer, ELECTION_TIMEOUT);
        }
        Map<String, Long> after = dbSizes(etcdctl, "dbSize");
        after.forEach((endpoint, size) -> assertThat(size).as(endpoint).isLessThan(before.get(endpoint) / 2));
        assertThat(condition(fixture.resource("defrag").get(), "Ready").map(Condition::getStatus)).contains("True");
    }

    @Test
    void aFullQuotaRaisesNoSpaceWhichIsRecoveredWithoutAHuman() throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        EtcdVmCluster cluster = fixture.cluster("nospace", "3.5.16", vms);
        cluster.getSpec().getEtcd().setQuotaBackendBytes(16 * MIB);
        cluster.getSpec().getMaintenance().setPauseBetweenMembersSeconds(1);
        fixture.api().client().resource(cluster).create();
        fixture.awaitReady("nospace", READY_WITHIN);
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret("nospace"), Files.createDirectory(dir.resolve("n")));

        // One key overwritten with 256 KiB values: the history fills the quota until etcd refuses.
        Path value = dir.resolve("value");
        Files.writeString(value, "v".repeat(256 * 1024));
        CommandResult refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            CommandResult put = etcdctl.runWithInput(value, "put", "/big");
            if (put.exitCode() != 0) {
                refused = put;
            }
        }
        assertThat(refused).as("etcd refused a write once the quota was full").isNotNull();
        assertThat(refused.stderr()).contains("database space exceeded");
        long filled = System.nanoTime();

        EtcdVmCluster recovered = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.resource("nospace").get(), c -> c.getStatus().getMaintenance() != null
                        && "NoSpace".equals(c.getStatus().getMaintenance().getLastRound()));
        System.out.printf("NOSPACE -> compacted, defragmented, disarmed: %d ms%n", (System.nanoTime() - filled) / 1_000_000);
        assertThat(probe.events("nospace", "Compacted")).hasSize(1);
        assertThat(probe.events("nospace", "Defragmented")).hasSize(3);
        assertThat(probe.events("nospace", "AlarmDisarmed")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("NOSPACE"));
        assertThat(etcdctl.run("alarm", "list").stdout()).doesNotContain("NOSPACE");
        assertThat(etcdctl.run("put", "/after", "ok").exitCode()).as("writes are taken again").isZero();
        fixture.awaitReady("nospace", Duration.ofSeconds(30));
        assertThat(recovered.getStatus().getMaintenance().getRound()).isNull();
    }

    /** {@code mib} MiB under the prefix, in 64 KiB values. */
    private void fillWith(EtcdctlClient etcdctl, String prefix, int mib) throws Exception {
        Path value = dir.resolve("chunk");
        Files.writeString(value, "x".repeat(64 * 1024));
        for (int i = 0; i < mib * 16; i++) {
            CommandResult put = etcdctl.runWithInput(value, "put", prefix + i);
            assertThat(put.exitCode()).as(put.toString()).isZero();
        }
    }

    /** Each endpoint's database size ("dbSize") or the part of it in use ("dbSizeInUse"), as etcd reports it. */
    private static Map<String, Long> dbSizes(EtcdctlClient etcdctl, String field) throws Exception {
        CommandResult status = etcdctl.run("endpoint", "status", "--cluster", "-w", "json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        Map<String, Long> sizes = new HashMap<>();
        for (JsonNode e : JSON.readTree(status.stdout())) {
            sizes.put(e.path("Endpoint").asText(), e.path("Status").path(field).asLong());
        }
        return sizes;
    }
}
