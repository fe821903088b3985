package dev.etcdvm.operator.bench;

import dev.etcdvm.operator.Collaborators;
import dev.etcdvm.operator.EtcdVmOperator;
import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.api.v1alpha1.SnapshotRecord;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.support.ApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `make bench`, third part: a one-member cluster filled with 512 MiB is backed up by the operator into the
 * testbed's S3 API (S3Proxy). Printed: the operator's heap growth while it streams (sampled, and what survives
 * each collection), its throughput, and the same bytes the usual way on the same machine: {@code etcdctl
 * snapshot save} to a file, then that file uploaded with AWS's S3 client in one call.
 */
public final class BackupBench {
    private static final int MIB = 1024 * 1024;
    private static final int VALUES = 512;

    private BackupBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String[]> machines = BenchTestbed.machines().subList(0, 1);
        BenchTestbed.wipe(machines);
        String[] store = store();
        try (ApiServer api = ApiServer.start("backup-bench")) {
            BenchTestbed.writeSshSecret(api);
            api.client().secrets().inNamespace(api.namespace()).resource(new SecretBuilder().withNewMetadata()
                    .withName("store").endMetadata().addToStringData("accessKeyId", store[2])
                    .addToStringData("secretAccessKey", store[3]).build()).create();
            OperatorSettings settings = OperatorSettings.local(api.namespace(), Duration.ofSeconds(15));
            Collaborators collaborators = EtcdVmOperator.productionCollaborators(api.client(), settings);
            try (EtcdVmOperator operator = new EtcdVmOperator(api.client(), settings, collaborators)) {
                EtcdVmCluster cluster = BenchTestbed.cluster("backup", api, machines, "3.5.16");
                cluster.getSpec().setBackup(backup(store));
                api.client().resource(cluster).create();
                await(api, c -> c.getStatus() != null && "Running".equals(String.valueOf(c.getStatus().getPhase())));
                Path dir = Files.createTempDirectory("backup-bench");
                Etcdctl etcdctl = new Etcdctl(consumer(api), dir);
                long filled = fill(etcdctl, dir);
                System.out.printf("filled: %d MiB of values in %d puts%n", filled / MIB, VALUES);

                HeapWatch heap = HeapWatch.start();
                long start = System.nanoTime();
                api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName("backup").edit(c -> {
                    c.getMetadata().setAnnotations(Map.of(EtcdVmCluster.BACKUP_NOW_ANNOTATION, "bench"));
                    return c;
                });
                EtcdVmCluster done = await(api, c -> c.getStatus().getBackup() != null
                        && "bench".equals(c.getStatus().getBackup().getLastRequest()));
                double wall = (System.nanoTime() - start) / 1e9;
                heap.stop();
                SnapshotRecord snapshot = done.getStatus().getBackup().getLastSnapshot();
                double mib = snapshot.getSizeBytes() / (double) MIB;
                System.out.printf("operator: %.0f MiB snapshot streamed into the store in %.2f s (%.1f MiB/s; %.2f s from"
                        + " the annotation to status); heap growth while streaming: %.1f MiB sampled peak, %.1f MiB"
                        + " surviving collections (max heap %d MiB)%n", mib, snapshot.getDurationMillis() / 1000.0,
                        mib / (snapshot.getDurationMillis() / 1000.0), wall, heap.sampledGrowth() / (double) MIB,
                        heap.liveGrowth() / (double) MIB, Runtime.getRuntime().maxMemory() / MIB);

                Path file = dir.resolve("etcdctl.db");
                long t0 = System.nanoTime();
                etcdctl.run("snapshot", "save", file.toString());
                double save = (System.nanoTime() - t0) / 1e9;
                long size = Files.size(file);
                long t1 = System.nanoTime();
                try (S3Client s3 = client(store)) {
                    s3.putObject(r -> r.bucket(store[1]).key("bench/etcdctl.db"), RequestBody.fromFile(file));
                    double upload = (System.nanoTime() - t1) / 1e9;
                    System.out.printf("by hand: etcdctl snapshot save %.0f MiB in %.2f s (%.1f MiB/s), then one S3"
                            + " putObject of the file in %.2f s (%.1f MiB/s): %.2f s in all, and %.0f MiB on disk%n",
                            size / (double) MIB, save, size / (double) MIB / save, upload, size / (double) MIB / upload,
                            save + upload, size / (double) MIB);
                    s3.deleteObject(r -> r.bucket(store[1]).key("bench/etcdctl.db"));
                }
            }
        }
        System.exit(0);
    }

    /** 512 values of 1 MiB of random bytes (incompressible), each put from a file on stdin. */
    private static long fill(Etcdctl etcdctl, Path dir) throws Exception {
        Random random = new Random(7);
        byte[] value = new byte[MIB];
        Path file = dir.resolve("value");
        for (int i = 0; i < VALUES; i++) {
            random.nextBytes(value);
            Files.write(file, value);
            etcdctl.runWithInput(file, "put", "/bench/" + i);
        }
        return (long) VALUES * MIB;
    }

    private static BackupSpec backup(String[] store) {
        BackupSpec backup = new BackupSpec();
        backup.setStore(new BackupStoreSpec());
        backup.getStore().setEndpoint(store[0]);
        backup.getStore().setBucket(store[1]);
        backup.getStore().setPrefix("bench");
        backup.getStore().setCredentialsSecretRef(new SecretRef("store"));
        return backup;
    }

    /** endpoint, bucket, key id, secret of the testbed's store, started if it is not running. */
    private static String[] store() throws Exception {
        Process p = new ProcessBuilder("src/testbed/testbed.sh", "store", "up").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the testbed's store did not start");
        }
        String[] url = Files.readString(BenchTestbed.DIR.resolve("store-url")).trim().split("\\s+");
        String[] credentials = Files.readString(BenchTestbed.DIR.resolve("store/credentials")).trim().split("\\s+");
        return new String[] {url[0], url[1], credentials[0], credentials[1]};
    }

    private static S3Client client(String[] store) {
        return S3Client.builder().endpointOverride(URI.create(store[0])).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(store[2], store[3])))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static EtcdVmCluster await(ApiServer api, java.util.function.Predicate<EtcdVmCluster> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            EtcdVmCluster c = api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName("backup").get();
            if (c != null && condition.test(c)) {
                return c;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not done within 10 minutes");
    }

    private static Secret consumer(ApiServer api) {
        return api.client().secrets().inNamespace(api.namespace()).withName("backup-client").get();
    }

    /** The host's etcdctl with the consumer Secret's files. */
    private record Etcdctl(List<String> base) {
        Etcdctl(Secret consumer, Path dir) throws IOException {
            this(base(consumer, dir));
        }

        private static List<String> base(Secret consumer, Path dir) throws IOException {
            for (String key : List.of("ca.crt", "tls.crt", "tls.key")) {
                Files.write(dir.resolve(key), Base64.getDecoder().decode(consumer.getData().get(key)));
            }
            String endpoints = new String(Base64.getDecoder().decode(consumer.getData().get("endpoints")),
                    StandardCharsets.UTF_8);
            return List.of("etcdctl", "--endpoints=" + endpoints, "--cacert=" + dir.resolve("ca.crt"),
                    "--cert=" + dir.resolve("tls.crt"), "--key=" + dir.resolve("tls.key"), "--command-timeout=60s");
        }

        void run(String... args) throws Exception {
            runWithInput(null, args);
        }

        void runWithInput(Path input, String... args) throws Exception {
            List<String> command = new ArrayList<>(base);
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("ETCDCTL_API", "3");
            if (input != null) {
                builder.redirectInput(input.toFile());
            }
            Process p = builder.start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed");
            }
        }
    }

    /**
     * The heap while the operator streams: sampled every 10 ms (garbage included), and as left by each
     * collection (what the operator really holds), each against the same figure just before.
     */
    private static final class HeapWatch {
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong peakLive = new AtomicLong();
        private final long usedBefore;
        private final long liveBefore;
        private final Thread sampler;
        private volatile boolean running = true;

        private HeapWatch() {
            System.gc();
            usedBefore = used();
            liveBefore = afterCollections();
            sampler = new Thread(() -> {
                while (running) {
                    peakUsed.accumulateAndGet(used(), Math::max);
                    peakLive.accumulateAndGet(afterCollections(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
        }

        static HeapWatch start() {
            HeapWatch watch = new HeapWatch();
            watch.sampler.start();
            return watch;
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
        }

        long sampledGrowth() {
            return Math.max(0, peakUsed.get() - usedBefore);
        }

        long liveGrowth() {
            return Math.max(0, peakLive.get() - liveBefore);
        }

        private static long used() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        /** Heap in use right after the last collection of each pool. */
        private static long afterCollections() {
            long total = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    total += pool.getCollectionUsage().getUsed();
                }
            }
            return total;
        }
    }
}
