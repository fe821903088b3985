package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The programs that use etcd, on a real cluster, with the consumer Secret only, while the cluster goes through a
 * leaf certificate renewal, a rolling upgrade 3.4 -> 3.5 and a CA rotation, and Patroni through a failover: every
 * client keeps working, none waits long, nothing acknowledged is lost. The table of what each saw is printed.
 */
class ClientMatrixIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    /**
     * The longest any client may go without a success while the cluster changes under it (seen here: at most 1.2 s
     * for the cluster's changes, 3.1 s for Patroni's own failover); a loaded CI machine gets room.
     */
    private static final Duration LONGEST_GAP = Duration.ofSeconds(10);
    private static final String FROM = "3.4.23";
    private static final String TO = "3.5.16";

    @Test
    void everyClientRidesThroughALeafRenewalARollingUpgradeAndACaRotation(@TempDir Path dir) throws Exception {
        requirePatroni();
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        String name = "clients";
        EtcdVmCluster cluster = fixture.cluster(name, FROM, vms);
        cluster.getSpec().getTls().setCertificateValidityDays(10);
        cluster.getSpec().getTls().setRenewBeforeDays(3);
        // Formed by an operator living eight days ago: its leaf certificates are inside their renewal window now.
        fixture.stopOperator();
        fixture.startOperatorShifted(Duration.ofDays(-8));
        fixture.api().client().resource(cluster).create();
        fixture.awaitReady(name, READY_WITHIN);
        long formed = Instant.now().getEpochSecond();

        ConsumerFiles files = new ConsumerFiles(() -> fixture.consumerSecret(name),
                Files.createDirectories(dir.resolve("consumer")), Optional.empty());
        Path patroniDir = Files.createDirectories(dir.resolve("patroni"));
        ConsumerFiles patroniFiles = new ConsumerFiles(() -> fixture.consumerSecret(name),
                Files.createDirectories(patroniDir.resolve("consumer")), Optional.of("postgres"));
        Files.setOwner(patroniDir, patroniDir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName("postgres"));
        dir.toFile().setExecutable(true, false); // postgres walks into its directory below this one

        GatewayCheck.assertServes(new GatewayClient(files), "/matrix/fresh-" + FROM);
        assertThat(GatewayCheck.keyUsageRefusals(testbed, vms, formed)).as("key usage refusals on " + FROM).isZero();

        Map<String, Path> etcdctl = new LinkedHashMap<>();
        etcdctl.put(FROM, Path.of("/usr/bin/etcdctl"));
        etcdctl.put(TO, unpackEtcdctl(TO, dir));
        List<ClientLog.Window> windows = new ArrayList<>();
        try (ClientMatrix matrix = new ClientMatrix(() -> fixture.consumerSecret(name), files, patroniFiles)) {
            matrix.start(etcdctl, patroniDir);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(matrix.patroni().leader())
                    .as(() -> "no Patroni leader yet; node1 logged:\n" + matrix.patroni().logTail("node1")).isPresent());
            matrix.patroni().start("node2");
            windows.add(settled("steady", System.nanoTime(), matrix));

            long renewing = System.nanoTime();
            Map<String, String> before = new LinkedHashMap<>();
            vms.forEach(vm -> before.put(vm.name(), read(vm, "/etc/etcd/pki/server.crt")));
            fixture.stopOperator();
            fixture.startOperator(); // today: every leaf certificate is due
            await().atMost(Duration.ofSeconds(90)).until(() -> vms.stream()
                    .noneMatch(vm -> read(vm, "/etc/etcd/pki/server.crt").equals(before.get(vm.name()))));
            fixture.awaitReady(name, READY_WITHIN);
            windows.add(settled("leaf renewal", renewing, matrix));

            long upgrading = System.nanoTime();
            fixture.edit(name, c -> {
                c.getSpec().setVersion(TO);
                return c;
            });
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> fixture.resource(name).get(), c -> TO.equals(c.getStatus().getVersion())
                            && c.getStatus().getPhase().name().equals("Running"));
            windows.add(settled("upgrade " + FROM + "->" + TO, upgrading, matrix));

            long rotating = System.nanoTime();
            String oldCa = fixture.consumerSecret(name).getData().get("ca.crt");
            fixture.annotate(name, EtcdVmCluster.ROTATE_CA_ANNOTATION, "matrix");
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .until(() -> fixture.resource(name).get(), c -> c.getStatus().getCertificates() != null
                            && "None".equals(c.getStatus().getCertificates().getRotation())
                            && c.getStatus().getPhase().name().equals("Running")
                            && certificates(fixture.consumerSecret(name).getData().get("ca.crt")) == 1
                            && !fixture.consumerSecret(name).getData().get("ca.crt").equals(oldCa));
            windows.add(settled("CA rotation", rotating, matrix));

            long failingOver = System.nanoTime();
            String leader = matrix.patroni().leader().orElseThrow();
            matrix.patroni().stop(leader);
            String next = await().atMost(Duration.ofSeconds(60)).until(() -> matrix.patroni().leader().orElse(""),
                    l -> !l.isEmpty());
            System.out.printf("Patroni: %s stopped, %s leads after %d ms%n", leader, next,
                    (System.nanoTime() - failingOver) / 1_000_000);
            assertThat(next).as("Patroni's new leader").isNotEqualTo(leader);
            windows.add(settled("Patroni failover", failingOver, matrix));
            matrix.stop();

            System.out.println("client matrix (consumer Secret only; each client's errors and longest time without"
                    + " a success):\n" + matrix.table(windows));
            for (ClientLog log : matrix.logs().values()) {
                for (ClientLog.Window window : windows) {
                    assertThat(log.longestGap(window)).as("%s's longest gap in %s", log.name(), window.name())
                            .isLessThanOrEqualTo(LONGEST_GAP);
                }
            }
            ClientLog patroni = matrix.logs().get("patroni (leader held)");
            for (ClientLog.Window window : windows.subList(0, windows.size() - 1)) {
                assertThat(patroni.errors(window)).as("looks at Patroni finding no leader in " + window.name())
                        .isZero();
            }
            assertThat(matrix.jetcd().missingAcknowledged()).as("acknowledged gRPC writes missing").isEmpty();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(matrix.watched())
                    .as("keys the watch stream saw").containsAll(matrix.curlAcknowledged()));
            GatewayClient.Answer leased = matrix.gateway().range(ClientMatrix.LEASED_KEY);
            assertThat(leased.ok() && leased.body().path("count").asLong() == 1)
                    .as("the leased key outlived every change (its lease never lapsed)").isTrue();
            GatewayClient.Answer counter = matrix.gateway().range("/matrix/counter");
            assertThat(counter.body().path("kvs").path(0).path("version").asLong())
                    .as("the counter's version").isGreaterThanOrEqualTo(matrix.swapsAcknowledged()).isPositive();
        }
        GatewayCheck.assertServes(new GatewayClient(files), "/matrix/fresh-" + TO);
    }

    /** The window from {@code fromNanos} until every client succeeded again after the change was done. */
    private static ClientLog.Window settled(String name, long fromNanos, ClientMatrix matrix) {
        long done = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> matrix.allSucceededSince(done));
        return new ClientLog.Window(name, fromNanos, System.nanoTime());
    }

    /** Patroni and PostgreSQL come from Debian (.ci/run installs them); mandatory in CI, skipped loudly otherwise. */
    private static void requirePatroni() {
        if (PatroniPair.installed()) {
            return;
        }
        String why = "Patroni or PostgreSQL 15 is not installed (apt-get install patroni postgresql-15)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why);
        }
        System.err.println("*** SKIPPING the client matrix: " + why + " ***");
        Assumptions.abort(why);
    }

    private Path unpackEtcdctl(String version, Path dir) throws Exception {
        String asset = "etcd-v" + version + "-linux-amd64";
        Path into = Files.createDirectories(dir.resolve("etcdctl-" + version));
        Process unpack = new ProcessBuilder("sh", "-c", "curl -fsS \"$1\" | tar -xz -C \"$2\" --strip-components=1"
                + " \"$3/etcdctl\"", "sh", testbed.mirrorUrl() + "/v" + version + "/" + asset + ".tar.gz",
                into.toString(), asset).inheritIO().start();
        assertThat(unpack.waitFor()).as("etcdctl " + version + " unpacked from the mirror").isZero();
        return into.resolve("etcdctl");
    }

    private static int certificates(String base64Pem) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                    Base64.getDecoder().decode(base64Pem))).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
