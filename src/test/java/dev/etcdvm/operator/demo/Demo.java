package dev.etcdvm.operator.demo;

import dev.etcdvm.operator.EtcdVmOperator;
import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.support.ApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * `make demo`: the operator's main job on a local default. The testbed machines (already up) stand in
 * for VMs, the in-process API server for Kubernetes; the shipped sample is applied with only its
 * addresses and release mirror changed, and the client bundle is left in target/demo/.
 */
public final class Demo {
    private static final Path TESTBED = Path.of("target/testbed");
    private static final Path BUNDLE = Path.of("target/demo");
    private static final Duration READY_WITHIN = Duration.ofMinutes(5);

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        List<String[]> machines = Files.readAllLines(TESTBED.resolve("machines")).stream()
                .filter(l -> !l.isBlank()).map(l -> l.trim().split("\\s+")).toList();
        EtcdVmCluster cluster = sample(machines, Files.readString(TESTBED.resolve("mirror-url")).trim());
        String namespace = cluster.getMetadata().getNamespace();
        boolean backup = !System.getProperty("demo.backup", "").isBlank();
        say("in-process Kubernetes API (Fabric8 CRUD server), namespace " + namespace);
        try (ApiServer api = ApiServer.start(namespace)) {
            api.client().secrets().inNamespace(namespace).resource(new SecretBuilder()
                    .withNewMetadata().withName("etcd-ssh").endMetadata()
                    .addToStringData("id_ed25519", Files.readString(TESTBED.resolve("id_ed25519")))
                    .addToStringData("known_hosts", Files.readString(TESTBED.resolve("known_hosts")))
                    .build()).create();
            if (backup) {
                withBackups(api, cluster);
            }
            OperatorSettings settings = OperatorSettings.local(namespace, Duration.ofSeconds(5));
            try (EtcdVmOperator operator = EtcdVmOperator.withSsh(api.client(), settings)) {
                say("operator started; applying deploy/samples/etcdvmcluster.yaml on " + machines.size() + " machines");
                Instant applied = Instant.now();
                api.client().resource(cluster).create();
                EtcdVmCluster ready = waitForReady(api, cluster);
                say("Ready after " + Duration.between(applied, Instant.now()).toMillis() / 1000.0 + " s\n");
                print(ready);
                writeBundle(api, ready);
                if (backup) {
                    snapshotNow(api, ready);
                }
            }
        }
        say("the machines and the etcd cluster keep running; `make demo-down` removes them");
        System.exit(0);
    }

    /** The testbed's S3 store (S3Proxy on the bridge) as the cluster's backup destination, hourly. */
    private static void withBackups(ApiServer api, EtcdVmCluster cluster) throws Exception {
        Process store = new ProcessBuilder("src/testbed/testbed.sh", "store", "up").inheritIO().start();
        if (store.waitFor() != 0) {
            throw new IllegalStateException("the testbed's S3 store did not start");
        }
        String[] url = Files.readString(TESTBED.resolve("store-url")).trim().split("\\s+");
        String[] credentials = Files.readString(TESTBED.resolve("store/credentials")).trim().split("\\s+");
        api.client().secrets().inNamespace(cluster.getMetadata().getNamespace()).resource(new SecretBuilder()
                .withNewMetadata().withName("etcd-backup-s3").endMetadata()
                .addToStringData("accessKeyId", credentials[0]).addToStringData("secretAccessKey", credentials[1])
                .build()).create();
        BackupSpec spec = new BackupSpec();
        spec.setSchedule("@hourly");
        spec.setStore(new BackupStoreSpec());
        spec.getStore().setEndpoint(url[0]);
        spec.getStore().setBucket(url[1]);
        spec.getStore().setPrefix("demo");
        spec.getStore().setCredentialsSecretRef(new SecretRef("etcd-backup-s3"));
        cluster.getSpec().setBackup(spec);
        say("backups: hourly into " + url[0] + "/" + url[1] + "/demo (S3Proxy, files under " + TESTBED
                + "/store/data)");
    }

    /** What `kubectl annotate evc/main etcdvm.dev/backup-now=...` does: a snapshot now, shown when it landed. */
    private static void snapshotNow(ApiServer api, EtcdVmCluster cluster) throws InterruptedException {
        api.client().resource(cluster).edit(c -> {
            c.getMetadata().setAnnotations(java.util.Map.of(EtcdVmCluster.BACKUP_NOW_ANNOTATION, "demo"));
            return c;
        });
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            EtcdVmCluster current = api.client().resource(cluster).get();
            var backup = current.getStatus().getBackup();
            if (backup != null && "demo".equals(backup.getLastRequest())) {
                var s = backup.getLastSnapshot();
                say("snapshot landed: " + s.getKey() + " (revision " + s.getRevision() + ", " + s.getSizeBytes()
                        + " bytes from " + s.getMember() + " in " + s.getDurationMillis() + " ms, sha256 " + s.getSha256()
                        + "); " + condition(current, "BackupHealthy").map(c -> "BackupHealthy=" + c.getStatus())
                        .orElse(""));
                return;
            }
            if (backup != null && backup.getLastFailure() != null) {
                say("snapshot failed: " + backup.getLastFailure().getReason() + ": " + backup.getLastFailure().getMessage());
                return;
            }
            Thread.sleep(300);
        }
        say("no snapshot within 2 minutes");
    }

    private static EtcdVmCluster sample(List<String[]> machines, String mirrorUrl) throws IOException {
        EtcdVmCluster cluster;
        try (InputStream in = Files.newInputStream(Path.of("deploy/samples/etcdvmcluster.yaml"))) {
            cluster = Serialization.unmarshal(in, EtcdVmCluster.class);
        }
        List<MemberSpec> members = new ArrayList<>();
        List<MemberSpec> shipped = cluster.getSpec().getMembers();
        for (int i = 0; i < shipped.size() && i < machines.size(); i++) {
            members.add(new MemberSpec(shipped.get(i).getName(), machines.get(i)[1]));
        }
        cluster.getSpec().setMembers(members);
        cluster.getSpec().getBinary().setBaseURL(mirrorUrl);
        return cluster;
    }

    private static EtcdVmCluster waitForReady(ApiServer api, EtcdVmCluster cluster) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            EtcdVmCluster current = api.client().resource(cluster).get();
            if (current != null && current.getStatus() != null) {
                String line = "phase " + current.getStatus().getPhase() + ", ready " + current.getStatus().getReadyMembers()
                        + " - " + condition(current, "Ready").map(c -> c.getReason() + ": " + c.getMessage()).orElse("");
                if (!line.equals(last)) {
                    say(line);
                    last = line;
                }
                if (condition(current, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false)) {
                    return current;
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not Ready within " + READY_WITHIN + "; last: " + last);
    }

    private static java.util.Optional<Condition> condition(EtcdVmCluster cluster, String type) {
        return cluster.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** What `kubectl get etcdvmclusters -o wide` and a member table would show. */
    private static void print(EtcdVmCluster c) {
        var s = c.getStatus();
        System.out.printf("%-8s %-6s %-8s %-10s %-8s %-16s %s%n", "NAME", "READY", "VERSION", "LEADER", "PHASE", "CLUSTER-ID", "ENDPOINTS");
        System.out.printf("%-8s %-6s %-8s %-10s %-8s %-16s %s%n%n", c.getMetadata().getName(), s.getReadyMembers(),
                s.getVersion(), s.getLeader(), s.getPhase(), s.getClusterId(), String.join(",", s.getEndpoints()));
        System.out.printf("%-8s %-13s %-17s %-8s %-7s %-6s %-8s %-9s %-5s %-6s %s%n", "MEMBER", "ADDRESS", "ID", "PHASE",
                "HEALTHY", "LEADER", "VERSION", "DB-BYTES", "TERM", "INDEX", "LATENCY");
        s.getMembers().forEach(m -> System.out.printf("%-8s %-13s %-17s %-8s %-7s %-6s %-8s %-9s %-5s %-6s %sms%n",
                m.getName(), m.getAddress(), m.getId(), m.getPhase(), m.getHealthy(), m.getLeader(), m.getVersion(),
                m.getDbSizeBytes(), m.getRaftTerm(), m.getRaftIndex(), m.getHealthLatencyMillis()));
        System.out.println();
    }

    private static void writeBundle(ApiServer api, EtcdVmCluster cluster) throws IOException, InterruptedException {
        Secret secret = api.client().secrets().inNamespace(cluster.getMetadata().getNamespace())
                .withName(cluster.getStatus().getClientSecretName()).get();
        Files.createDirectories(BUNDLE);
        for (String key : List.of("ca.crt", "tls.crt", "tls.key", "endpoints")) {
            Path file = BUNDLE.resolve(key);
            Files.write(file, Base64.getDecoder().decode(Objects.requireNonNull(secret.getData().get(key))));
            if (key.equals("tls.key")) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        }
        Path etcdctl = etcdctlWrapper(cluster);
        say("client bundle written to " + BUNDLE + "/ (ca.crt, tls.crt, tls.key, endpoints, and an etcdctl wrapper); try:");
        System.out.println("  " + etcdctl + " endpoint health --cluster");
        System.out.println("  " + etcdctl + " put greeting hello && " + etcdctl + " get greeting");
    }

    /**
     * target/demo/etcdctl: the etcdctl of the release the cluster runs, taken from the testbed's mirror (a fresh
     * machine has none of its own), called with the bundle's endpoints and certificates.
     */
    private static Path etcdctlWrapper(EtcdVmCluster cluster) throws IOException, InterruptedException {
        String version = cluster.getSpec().getVersion();
        String asset = "etcd-v" + version + "-linux-amd64";
        Path tarball = BUNDLE.resolve(asset + ".tar.gz");
        String url = cluster.getSpec().getBinary().getBaseURL() + "/v" + version + "/" + asset + ".tar.gz";
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofFile(tarball));
        Path bin = Files.createDirectories(BUNDLE.resolve("bin"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", bin.toString(), "--strip-components=1",
                asset + "/etcdctl").inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("could not unpack etcdctl from " + url);
        }
        Files.delete(tarball);
        Path wrapper = BUNDLE.resolve("etcdctl");
        Files.writeString(wrapper, """
                #!/bin/sh
                # etcdctl of the demo cluster's release, with its client bundle. Written by `make demo`.
                here=$(cd "$(dirname "$0")" && pwd)
                exec "$here/bin/etcdctl" --endpoints="$(cat "$here/endpoints")" --cacert="$here/ca.crt" \
                  --cert="$here/tls.crt" --key="$here/tls.key" "$@"
                """);
        Files.setPosixFilePermissions(wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }

    /**
     * The demo prints its own progress and the tables: the operator logs only warnings (its INFO lines go to a
     * deployed operator's log), the in-process API server none of its per-request lines.
     */
    private static void quietLogs() throws IOException {
        System.setProperty("operatorLog", "WARN");
        System.setProperty("reconcilerLog", "ERROR"); // a pass cut short when the demo stops its operator
        System.setProperty("fabric8Log", "ERROR"); // its warning that v1alpha1 is not a stable version
        System.setProperty("rootLog", "WARN");
        try (InputStream jul = new java.io.ByteArrayInputStream(".level=SEVERE\n".getBytes(StandardCharsets.UTF_8))) {
            java.util.logging.LogManager.getLogManager().readConfiguration(jul);
        }
    }

    private static void say(String message) {
        System.out.println("[demo] " + message);
    }
}
