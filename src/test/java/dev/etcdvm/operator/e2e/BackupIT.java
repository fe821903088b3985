package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.api.v1alpha1.SnapshotRecord;
import dev.etcdvm.operator.api.v1alpha1.VerificationRecord;
import dev.etcdvm.operator.objectstore.S3ObjectStore;
import dev.etcdvm.operator.objectstore.StoreLocation;
import dev.etcdvm.operator.objectstore.StoredObject;
import dev.etcdvm.operator.support.SteppedClock;
import dev.etcdvm.operator.testbed.Testbed;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups on real members into a real S3 API (S3Proxy on the testbed bridge): a schedule pruned per its
 * retention, with status and the bucket agreeing, and faults that end in a precise condition and a retry while
 * the cluster stays Ready. The operator's clock is stepped a minute at a time, so five scheduled snapshots take
 * seconds, not five minutes; etcd, the store and the operator's code run as they would.
 */
class BackupIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final Duration SNAPSHOT_WITHIN = Duration.ofSeconds(30);
    private static final String CREDENTIALS = "store-credentials";

    private Testbed.Store store;
    private S3ObjectStore bucket;

    @AfterEach
    void defaultOperator() {
        fixture.stopOperator();
        fixture.startOperator();
        if (bucket != null) {
            bucket.close();
        }
    }

    private void useStore(Clock clock) {
        store = testbed.store();
        bucket = new S3ObjectStore(new StoreLocation(URI.create(store.endpoint()), store.bucket(), "us-east-1", true,
                Optional.empty(), store.accessKeyId(), store.secretAccessKey()));
        writeCredentials(store.secretAccessKey());
        fixture.stopOperator();
        fixture.startOperator(clock, FaultyStore::new);
    }

    private void writeCredentials(String secret) {
        fixture.api().client().secrets().inNamespace(fixture.api().namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(CREDENTIALS).endMetadata()
                .addToStringData("accessKeyId", store.accessKeyId()).addToStringData("secretAccessKey", secret)
                .build()).createOr(op -> op.update());
    }

    private EtcdVmCluster backedUp(String name, String schedule, int keepLast, List<Machine> vms) {
        EtcdVmCluster cluster = fixture.cluster(name, "3.5.16", vms);
        BackupSpec backup = new BackupSpec();
        backup.setSchedule(schedule);
        backup.setStore(new BackupStoreSpec());
        backup.getStore().setEndpoint(store.endpoint());
        backup.getStore().setBucket(store.bucket());
        backup.getStore().setPrefix("it");
        backup.getStore().setCredentialsSecretRef(new SecretRef(CREDENTIALS));
        backup.getRetention().setKeepLast(keepLast);
        cluster.getSpec().setBackup(backup);
        return cluster;
    }

    @Test
    void scheduledSnapshotsArePrunedPerTheRetentionPolicyAndStatusMatchesTheBucket(@TempDir Path dir) throws Exception {
        SteppedClock clock = new SteppedClock(Instant.now().truncatedTo(ChronoUnit.MINUTES));
        useStore(clock);
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        fixture.api().client().resource(backedUp("scheduled", "* * * * *", 3, vms)).create();
        EtcdVmCluster ready = fixture.awaitReady("scheduled", READY_WITHIN);
        String folder = "it/" + fixture.api().namespace() + "/scheduled/" + ready.getMetadata().getUid() + "/";
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret("scheduled"), dir);
        assertThat(condition(ready, "BackupHealthy").map(Condition::getReason)).contains("NoSnapshotYet");
        // Someone else's object in the cluster's folder, shaped like a snapshot key but naming no time: skipped by the
        // schedule and the pruning, never deleted, never a reason to stop.
        String malformed = folder + "20261399T999999Z.db";
        try (var upload = bucket.upload(malformed, Map.of())) {
            upload.stream().write("not a snapshot".getBytes(StandardCharsets.UTF_8));
            upload.commit();
        }

        List<String> taken = new ArrayList<>();
        for (int minute = 1; minute <= 5; minute++) {
            assertThat(etcdctl.run("put", "/minute", Integer.toString(minute)).exitCode()).isZero();
            clock.advance(Duration.ofMinutes(1));
            EtcdVmCluster c = awaitSnapshot("scheduled", s -> !taken.contains(s.getKey()));
            SnapshotRecord last = c.getStatus().getBackup().getLastSnapshot();
            taken.add(last.getKey());
            List<String> expected = taken.subList(Math.max(0, taken.size() - 3), taken.size());

            assertThat(bucket.list(folder)).extracting(StoredObject::key).as("the bucket after snapshot " + minute)
                    .filteredOn(k -> !k.equals(malformed)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(c.getStatus().getBackup().getRetained()).isEqualTo(expected.size());
            Instant scheduled = clock.instant().truncatedTo(ChronoUnit.MINUTES);
            assertThat(c.getStatus().getBackup().getLastScheduledTime()).isEqualTo(scheduled.toString());
            assertThat(c.getStatus().getBackup().getNextScheduledTime()).isEqualTo(scheduled.plusSeconds(60).toString());
            assertThat(last.getTrigger()).isEqualTo("schedule");
            assertThat(last.getMember()).as("streamed from a follower").isNotEqualTo(c.getStatus().getLeader());
            Map<String, String> metadata = bucket.head(last.getKey()).orElseThrow().metadata();
            assertThat(metadata).containsEntry("cluster-uid", ready.getMetadata().getUid())
                    .containsEntry("sha256", last.getSha256()).containsEntry("revision", last.getRevision().toString())
                    .containsEntry("size", last.getSizeBytes().toString()).containsEntry("member", last.getMember())
                    .containsEntry("etcd-version", "3.5.16").containsEntry("taken-at", last.getTime());
            assertThat(bucket.head(last.getKey()).orElseThrow().size()).isEqualTo(last.getSizeBytes());
            assertThat(condition(c, "BackupHealthy").map(Condition::getStatus)).contains("True");
            assertThat(condition(c, "Ready").map(Condition::getStatus)).contains("True");
        }

        assertThat(bucket.head(malformed)).as("the malformed object, left alone").isPresent();

        request("scheduled", "before-maintenance");
        EtcdVmCluster requested = awaitSnapshot("scheduled", s -> "request".equals(s.getTrigger()));
        assertThat(requested.getStatus().getBackup().getLastRequest()).isEqualTo("before-maintenance");

        // The stored bytes are etcd's snapshot: the database, then its SHA-256, which etcdctl reads back.
        SnapshotRecord last = requested.getStatus().getBackup().getLastSnapshot();
        ByteArrayOutputStream object = new ByteArrayOutputStream();
        bucket.download(last.getKey(), object);
        byte[] bytes = object.toByteArray();
        byte[] database = Arrays.copyOf(bytes, bytes.length - 32);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(database)))
                .isEqualTo(last.getSha256())
                .isEqualTo(HexFormat.of().formatHex(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)));
        Path file = dir.resolve("snapshot.db");
        Files.write(file, bytes);
        var status = etcdctl.run("snapshot", "status", file.toString(), "-w", "json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        long revision = Long.parseLong(status.stdout().replaceAll(".*\"revision\":(\\d+).*", "$1").trim());
        assertThat(revision).isGreaterThanOrEqualTo(last.getRevision());

        // Restore drills: the newest snapshot read and restored on a member's machine; then the same object with
        // one byte flipped in the store's own files, which the next drill catches.
        request(EtcdVmCluster.VERIFY_NOW_ANNOTATION, "scheduled", "drill-1");
        VerificationRecord passed = awaitDrill("scheduled", "drill-1");
        assertThat(passed.getPassed()).as(String.valueOf(passed.getMessage())).isTrue();
        assertThat(passed.getKey()).isEqualTo(last.getKey());
        assertThat(passed.getRevision()).isEqualTo(revision);
        assertThat(passed.getTotalKeys()).isPositive();

        Path stored = store.data().resolve(store.bucket()).resolve(last.getKey());
        byte[] content = Files.readAllBytes(stored);
        content[content.length / 2] ^= 0x5a;
        Files.write(stored, content);
        request(EtcdVmCluster.VERIFY_NOW_ANNOTATION, "scheduled", "drill-2");
        VerificationRecord failed = awaitDrill("scheduled", "drill-2");
        assertThat(failed.getPassed()).isFalse();
        assertThat(failed.getMessage()).contains(last.getKey()).contains("corrupt");
        EtcdVmCluster after = fixture.resource("scheduled").get();
        assertThat(condition(after, "BackupHealthy")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("VerificationFailed");
        });
        assertThat(condition(after, "Ready").map(Condition::getStatus)).contains("True");

        // A drill onto a nearly full disk is refused before anything is staged there: the disk is never filled.
        for (Machine vm : vms) {
            CommandResult small = testbed.sshExec(vm, "root", "mount -t tmpfs -o size=8m tmpfs /var/tmp");
            assertThat(small.exitCode()).as(small.toString()).isZero();
        }
        try {
            request(EtcdVmCluster.VERIFY_NOW_ANNOTATION, "scheduled", "drill-3");
            VerificationRecord refused = awaitDrill("scheduled", "drill-3");
            assertThat(refused.getPassed()).isFalse();
            assertThat(refused.getMessage()).contains("KiB free in /var/tmp", "nothing staged");
            for (Machine vm : vms) {
                assertThat(testbed.sshExec(vm, "root", "ls -A /var/tmp").stdout()).as("nothing left on " + vm.name())
                        .isBlank();
            }
        } finally {
            vms.forEach(vm -> testbed.sshExec(vm, "root", "umount /var/tmp"));
        }
    }

    private VerificationRecord awaitDrill(String name, String request) {
        return await().atMost(SNAPSHOT_WITHIN).pollInterval(Duration.ofMillis(300))
                .until(() -> fixture.resource(name).get(), c -> c.getStatus().getBackup() != null
                        && request.equals(c.getStatus().getBackup().getLastVerifyRequest()))
                .getStatus().getBackup().getLastVerified();
    }

    @Test
    void faultsEndInAPreciseConditionAndARetryWhileTheClusterStaysReady(@TempDir Path dir) throws Exception {
        useStore(Clock.systemUTC());
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        writeCredentials("not-the-secret");
        fixture.api().client().resource(backedUp("faulty", null, 5, vms)).create();
        EtcdVmCluster ready = fixture.awaitReady("faulty", READY_WITHIN);
        String folder = "it/" + fixture.api().namespace() + "/faulty/" + ready.getMetadata().getUid() + "/";
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret("faulty"), dir);
        // About 12 MiB of data: a snapshot of more than one upload part, streamed in many messages.
        byte[] value = new byte[1024 * 1024];
        new Random(1).nextBytes(value);
        Path valueFile = dir.resolve("value");
        Files.write(valueFile, value);
        for (int i = 0; i < 12; i++) {
            assertThat(etcdctl.runWithInput(valueFile, "put", "/bulk/" + i).exitCode()).isZero();
        }

        request("faulty", "wrong-credentials");
        awaitBackupFailure("faulty", "CredentialsRejected");
        writeCredentials(store.secretAccessKey());
        awaitSnapshot("faulty", s -> "request".equals(s.getTrigger()));

        fixture.edit("faulty", c -> {
            c.getSpec().getBackup().getStore().setBucket("no-such-bucket");
            return c;
        });
        request("faulty", "missing-bucket");
        awaitBackupFailure("faulty", "BucketMissing");
        fixture.edit("faulty", c -> {
            c.getSpec().getBackup().getStore().setBucket(store.bucket());
            return c;
        });
        awaitSnapshot("faulty", s -> true, "missing-bucket");

        List<String> before = bucket.list(folder).stream().map(StoredObject::key).toList();
        FaultyStore.arm(4L * 1024 * 1024, testbed::stopStore);
        request("faulty", "store-down");
        awaitBackupFailure("faulty", "StoreUnreachable");
        store = testbed.store();
        assertThat(bucket.list(folder)).extracting(StoredObject::key).as("nothing of the broken upload is visible")
                .containsExactlyInAnyOrderElementsOf(before);
        awaitSnapshot("faulty", s -> true, "store-down");

        EtcdVmCluster c = fixture.resource("faulty").get();
        String source = c.getStatus().getMembers().stream().map(m -> m.getName())
                .filter(n -> !n.equals(c.getStatus().getLeader())).sorted().findFirst().orElseThrow();
        Machine victim = vms.stream().filter(m -> source.equals("etcd-" + m.name())).findFirst().orElseThrow();
        FaultyStore.arm(4L * 1024 * 1024, () -> testbed.sshExec(victim, "root", "systemctl kill -s KILL etcd"));
        request("faulty", "member-killed");
        awaitBackupFailure("faulty", "EtcdUnavailable");
        awaitSnapshot("faulty", s -> true, "member-killed");
        fixture.awaitReady("faulty", READY_WITHIN);
        assertThat(FaultyStore.fired()).isTrue();

        // A member's removal goes ahead only once a snapshot taken for it is stored.
        String leaving = "etcd-" + vms.get(2).name();
        fixture.edit("faulty", e -> {
            e.getSpec().getMembers().removeIf(m -> m.getName().equals(leaving));
            return e;
        });
        EtcdVmCluster scaledDown = await().atMost(READY_WITHIN).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.resource("faulty").get(), e -> e.getStatus().getMembers().size() == 2
                        && e.getStatus().getRetiringMembers().isEmpty()
                        && condition(e, "Ready").map(r -> "True".equals(r.getStatus())).orElse(false));
        assertThat(scaledDown.getStatus().getBackup().getBeforeChange()).isEqualTo("removal of " + leaving);
        assertThat(bucket.list(folder)).extracting(StoredObject::key)
                .contains(scaledDown.getStatus().getBackup().getLastSnapshot().getKey());
        assertThat(scaledDown.getStatus().getBackup().getLastSnapshot().getTrigger()).isEqualTo("before removal of " + leaving);
    }

    private void request(String name, String value) {
        request(EtcdVmCluster.BACKUP_NOW_ANNOTATION, name, value);
    }

    private void request(String annotation, String name, String value) {
        fixture.edit(name, c -> {
            Map<String, String> annotations = new HashMap<>(Optional.ofNullable(c.getMetadata().getAnnotations()).orElse(Map.of()));
            annotations.put(annotation, value);
            c.getMetadata().setAnnotations(annotations);
            return c;
        });
    }

    private void awaitBackupFailure(String name, String reason) {
        EtcdVmCluster failed = await().atMost(SNAPSHOT_WITHIN).pollInterval(Duration.ofMillis(300))
                .until(() -> fixture.resource(name).get(), c -> condition(c, "BackupHealthy")
                        .map(b -> "False".equals(b.getStatus()) && reason.equals(b.getReason())).orElse(false));
        assertThat(failed.getStatus().getBackup().getLastFailure().getReason()).isEqualTo(reason);
        assertThat(condition(failed, "Ready").map(Condition::getStatus)).as("a failed backup leaves Ready alone")
                .contains("True");
    }

    private EtcdVmCluster awaitSnapshot(String name, Predicate<SnapshotRecord> which) {
        return await().atMost(SNAPSHOT_WITHIN).pollInterval(Duration.ofMillis(300))
                .until(() -> fixture.resource(name).get(), c -> c.getStatus() != null && c.getStatus().getBackup() != null
                        && c.getStatus().getBackup().getLastSnapshot() != null
                        && which.test(c.getStatus().getBackup().getLastSnapshot())
                        && condition(c, "BackupHealthy").map(b -> "True".equals(b.getStatus())).orElse(false));
    }

    /** Waits for the retry of a request (after its backoff) to store a snapshot. */
    private EtcdVmCluster awaitSnapshot(String name, Predicate<SnapshotRecord> which, String request) {
        return await().atMost(SNAPSHOT_WITHIN.multipliedBy(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> fixture.resource(name).get(), c -> c.getStatus().getBackup() != null
                        && request.equals(c.getStatus().getBackup().getLastRequest())
                        && which.test(c.getStatus().getBackup().getLastSnapshot())
                        && condition(c, "BackupHealthy").map(b -> "True".equals(b.getStatus())).orElse(false));
    }
}
