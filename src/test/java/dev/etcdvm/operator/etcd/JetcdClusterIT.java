package dev.etcdvm.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * JetcdCluster against real 3-member etcd clusters (3.4 and 3.5) on loopback, TLS with client
 * certificates. The read-only tests share one cluster per version; tests that stop a member restart it.
 */
class JetcdClusterIT {
    static final List<String> VERSIONS = EtcdReleases.VERSIONS;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Map<String, LocalEtcdCluster> CLUSTERS = new ConcurrentHashMap<>();
    private static final Map<String, JetcdCluster> CLIENTS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalEtcdCluster etcd(String version) {
        return CLUSTERS.computeIfAbsent(version, v -> LocalEtcdCluster.start(v, 3));
    }

    private static JetcdCluster client(String version) {
        return CLIENTS.computeIfAbsent(version,
                v -> new JetcdCluster(etcd(v).endpoints(), etcd(v).clientTls(), TIMEOUT));
    }

    @AfterAll
    static void stopAll() {
        CLIENTS.values().forEach(JetcdCluster::close);
        CLUSTERS.values().forEach(LocalEtcdCluster::close);
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void memberListMatchesEtcdctl(String version) throws Exception {
        List<EtcdMember> members = client(version).members();

        JsonNode json = JSON.readTree(etcd(version).etcdctl("member", "list", "-w", "json"));
        Map<String, String> expected = new HashMap<>();
        for (JsonNode m : json.get("members")) {
            expected.put(Long.toHexString(Long.parseUnsignedLong(m.get("ID").asText())), m.get("name").asText());
        }
        assertThat(members).hasSize(3);
        assertThat(members.stream().collect(Collectors.toMap(EtcdMember::hexId, EtcdMember::name)))
                .isEqualTo(expected);
        EtcdMember m1 = members.stream().filter(m -> m.name().equals("m1")).findFirst().orElseThrow();
        assertThat(m1.peerUrls()).containsExactly(etcd(version).node("m1").peerUrl());
        assertThat(m1.clientUrls()).containsExactly(etcd(version).node("m1").clientUrl());
        assertThat(members).noneMatch(EtcdMember::learner);
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void statusReportsVersionLeaderAndRaftProgress(String version) {
        JetcdCluster cluster = client(version);
        Set<Long> ids = cluster.members().stream().map(EtcdMember::id).collect(Collectors.toSet());
        Set<Long> clusterIds = new java.util.HashSet<>();
        for (String endpoint : etcd(version).endpoints()) {
            EndpointStatus s = cluster.status(endpoint);
            assertThat(s.endpoint()).isEqualTo(endpoint);
            assertThat(s.version()).isEqualTo(version);
            assertThat(s.dbSize()).isPositive();
            assertThat(s.leaderId()).isIn(ids);
            assertThat(s.memberId()).isIn(ids);
            assertThat(s.raftIndex()).isPositive();
            assertThat(s.raftTerm()).isPositive();
            assertThat(s.errors()).isEmpty();
            clusterIds.add(s.clusterId());
            assertThat(cluster.clusterVersion(endpoint)).as("cluster version: the minor every member runs")
                    .isEqualTo(version.substring(0, version.lastIndexOf('.')) + ".0");
        }
        assertThat(clusterIds).hasSize(1).doesNotContain(0L);
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void aStreamedSnapshotEndsInEtcdsChecksumAndRestoresWithEtcdsOwnTool(String version, @TempDir Path dir)
            throws Exception {
        etcd(version).etcdctl("put", "/snapshot/key", "value");
        Path file = dir.resolve("snapshot.db");
        SnapshotInfo info;
        try (OutputStream out = Files.newOutputStream(file)) {
            info = client(version).snapshot(etcd(version).endpoints().get(0), out, Duration.ofSeconds(30));
        }
        byte[] streamed = Files.readAllBytes(file);
        assertThat(info.bytes()).isEqualTo(streamed.length).isGreaterThan(TrailerCheck.TRAILER);
        assertThat(info.revision()).isPositive();
        assertThat(info.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Arrays.copyOf(streamed, streamed.length - TrailerCheck.TRAILER))));

        // etcd's own restore checks the trailer (it refuses a snapshot whose hash does not match).
        List<String> restore = new ArrayList<>(version.startsWith("3.4")
                ? List.of(etcd(version).tool("etcdctl").toString()) : List.of(etcd(version).tool("etcdutl").toString()));
        restore.addAll(List.of("snapshot", "restore", file.toString(), "--data-dir", dir.resolve("restored").toString()));
        Process process = new ProcessBuilder(restore).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(dir.resolve("restored/member/snap/db")).isRegularFile();
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void everyMemberIsHealthyWithALatency(String version) {
        for (String endpoint : etcd(version).endpoints()) {
            EndpointHealth h = client(version).health(endpoint);
            assertThat(h.healthy()).as("%s", h).isTrue();
            assertThat(h.error()).isNull();
            assertThat(h.latency()).isPositive().isLessThan(TIMEOUT);
        }
        assertThat(client(version).alarms()).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void aStoppedMemberIsUnhealthyQuicklyAndHealthyAgainOnceBack(String version) {
        LocalEtcdCluster etcd = etcd(version);
        JetcdCluster cluster = client(version);
        String m3 = etcd.node("m3").clientUrl();
        assertThat(cluster.health(m3).healthy()).isTrue(); // the channel to m3 is open before it dies
        etcd.stop("m3");
        try {
            long start = System.nanoTime();
            EndpointHealth h = cluster.health(m3);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(h.healthy()).isFalse();
            assertThat(took).isLessThan(TIMEOUT.plusSeconds(1));
            assertThat(h.error()).startsWith("etcd.health on " + m3 + " failed: unreachable");
            assertThatThrownBy(() -> cluster.status(m3)).isInstanceOf(EtcdException.class)
                    .hasMessageContaining("etcd.status on " + m3);
            // Cluster-wide calls move on to a member that answers.
            assertThat(cluster.members()).hasSize(3);
            // If m3 led, the others need an election first: healthy within a few election timeouts.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(cluster.health(etcd.node("m1").clientUrl()).healthy()).isTrue());
        } finally {
            etcd.restart("m3");
        }
        // No reconnect backoff (up to 2 minutes in gRPC) to wait out: the failed channel was dropped,
        // so m3 answers as soon as it has rejoined.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            EndpointHealth back = cluster.health(m3);
            assertThat(back.healthy()).as("%s", back).isTrue();
        });
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void aClientWithoutTheRightCertificateIsRefused(String version, @TempDir Path tmp) {
        LocalEtcdCluster etcd = etcd(version);
        EtcdTls good = etcd.clientTls();
        EtcdTls foreign = new TestPki(tmp).client();
        Map<String, EtcdTls> wrong = Map.of(
                "client certificate from another CA", new EtcdTls(good.caPem(), foreign.certPem(), foreign.keyPem()),
                "a certificate without clientAuth used as a client", etcd.pki().serverAuthOnlyAsClient(),
                "server not signed by the trusted CA", new EtcdTls(foreign.caPem(), good.certPem(), good.keyPem()));
        wrong.forEach((what, tls) -> {
            try (JetcdCluster refused = new JetcdCluster(etcd.endpoints(), tls, TIMEOUT)) {
                String endpoint = etcd.endpoints().get(0);
                EndpointHealth h = refused.health(endpoint);
                assertThat(h.healthy()).as(what).isFalse();
                assertThat(h.error()).as(what).contains(endpoint).doesNotContain(keyBody(tls));
                assertThatThrownBy(refused::members).as(what).isInstanceOf(EtcdException.class)
                        .hasMessageContaining("etcd.memberList")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(keyBody(tls)));
            }
        });
    }

    /**
     * A member's server certificate is a client certificate too: etcd's own JSON gateway dials its member with it
     * (see CertificatePurpose.SERVER). Its key never leaves the member's machine.
     */
    @ParameterizedTest
    @FieldSource("VERSIONS")
    void aMembersServerCertificateIsAcceptedAsAClient(String version) {
        LocalEtcdCluster etcd = etcd(version);
        try (JetcdCluster member = new JetcdCluster(etcd.endpoints(), etcd.pki().serverCertificateAsClient(), TIMEOUT)) {
            assertThat(member.health(etcd.endpoints().get(0)).healthy()).isTrue();
        }
    }

    @ParameterizedTest
    @FieldSource("VERSIONS")
    void aClosedClientRefusesCalls(String version) {
        JetcdCluster closed = new JetcdCluster(etcd(version).endpoints(), etcd(version).clientTls(), TIMEOUT);
        assertThat(closed.members()).hasSize(3);
        closed.close();
        assertThatThrownBy(closed::members).isInstanceOf(EtcdException.class).hasMessageContaining("closed");
    }

    private static String keyBody(EtcdTls tls) {
        return tls.keyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }
}
