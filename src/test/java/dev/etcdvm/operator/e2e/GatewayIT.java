package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.pki.IssuedCertificate;
import dev.etcdvm.operator.pki.LegacyCertificates;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's v3 JSON API (its gRPC gateway) with the consumer Secret on real members: served on a fresh cluster, and on
 * a cluster whose server certificates predate clientAuth once the operator renewed them, without restarting etcd.
 */
class GatewayIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @Test
    void theGatewayServesAFreshClusterAndOneFormedBeforeServerCertificatesCarriedClientAuth(@TempDir Path dir)
            throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        String name = "gateway";
        fixture.api().client().resource(fixture.cluster(name, "3.5.16", vms)).create();
        fixture.awaitReady(name, READY_WITHIN);
        long formed = Instant.now().getEpochSecond();
        ConsumerFiles files = new ConsumerFiles(() -> fixture.consumerSecret(name), dir, Optional.empty());
        GatewayClient gateway = new GatewayClient(files);

        GatewayCheck.assertServes(gateway, "/gateway/fresh");
        assertThat(GatewayCheck.keyUsageRefusals(testbed, vms, formed)).as("key usage refusals logged").isZero();

        // The cluster as an operator before this change left it: serverAuth-only server certificates, on the
        // machines and in the member Secret, and etcd started on them (the gateway keeps the connection it made at
        // start, so only a start shows what users saw). The gateway then fails as it failed for them.
        fixture.stopOperator();
        CertificateAuthority ca = CertificateAuthority.fromPem(secret(name + "-ca", "ca.crt"),
                secret(name + "-ca", "ca.key"), Clock.systemUTC());
        Map<String, String> memberSecret = new HashMap<>(decoded(name + "-member-tls"));
        Map<String, String> legacyKeys = new HashMap<>();
        for (Machine vm : vms) {
            String member = "etcd-" + vm.name();
            IssuedCertificate legacy = LegacyCertificates.serverAuthOnly(ca, member, Duration.ofDays(300), vm.address());
            memberSecret.put(member + ".server.crt", legacy.certificatePem());
            memberSecret.put(member + ".server.key", legacy.privateKeyPem());
            legacyKeys.put(vm.name(), legacy.privateKeyPem());
            install(vm, legacy);
        }
        writeSecret(name + "-member-tls", memberSecret);
        long legacySince = Instant.now().getEpochSecond();
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret(name),
                Files.createDirectories(dir.resolve("etcdctl")));
        await().atMost(Duration.ofSeconds(30)).until(() -> etcdctl.run("put", "/gateway/grpc", "v").exitCode() == 0);
        assertThat(gateway.put("/gateway/legacy", "v").ok()).as("the gateway with serverAuth-only certificates").isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> GatewayCheck.keyUsageRefusals(testbed, vms, legacySince) > 0);
        Map<String, String> processes = new HashMap<>(); // of etcd started on the serverAuth-only certificates
        vms.forEach(vm -> processes.put(vm.name(), mainPid(vm)));

        long restarted = System.nanoTime();
        fixture.startOperator();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> gateway.endpoints()
                .stream().allMatch(endpoint -> gateway.at(endpoint).put("/gateway/renewed", "v").ok()));
        System.out.printf("every member's gateway answering %d ms after the operator started on serverAuth-only"
                + " certificates%n", (System.nanoTime() - restarted) / 1_000_000);
        long renewedSince = Instant.now().getEpochSecond() + 1;

        for (Machine vm : vms) {
            assertThat(mainPid(vm)).as(vm.name() + "'s etcd process").isEqualTo(processes.get(vm.name()));
            X509Certificate served = certificate(read(vm, "/etc/etcd/pki/server.crt"));
            assertThat(served.getExtendedKeyUsage()).as(vm.name() + "'s server certificate").contains(CLIENT_AUTH);
            assertThat(read(vm, "/etc/etcd/pki/server.key")).as("the key stays").isEqualTo(legacyKeys.get(vm.name()));
        }
        assertThat(new MembershipProbe(fixture, testbed, dir).events(name, "CertificatesRenewed"))
                .extracting(e -> e.getMessage()).anySatisfy(m -> assertThat(m).contains("clientAuth", "etcd-vm1 server"));
        GatewayCheck.assertServes(gateway, "/gateway/after");
        assertThat(GatewayCheck.keyUsageRefusals(testbed, vms, renewedSince)).as("refusals once renewed").isZero();
    }

    /** Replaces the member's server certificate and key the way the operator's install script does (renames). */
    private void install(Machine vm, IssuedCertificate legacy) {
        CommandResult result = testbed.sshExec(vm, "root", "set -e; cd /etc/etcd/pki\n"
                + "cat > server.crt.legacy <<'PEM'\n" + legacy.certificatePem() + "PEM\n"
                + "cat > server.key.legacy <<'PEM'\n" + legacy.privateKeyPem() + "PEM\n"
                + "chmod 0644 server.crt.legacy; chmod 0600 server.key.legacy; chown --reference=server.key server.key.legacy\n"
                + "mv -f server.key.legacy server.key; mv -f server.crt.legacy server.crt\n"
                + "systemctl restart --no-block etcd\n");
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private String secret(String secret, String key) {
        return decoded(secret).get(key);
    }

    private Map<String, String> decoded(String secret) {
        Map<String, String> data = new HashMap<>();
        fixture.api().client().secrets().inNamespace(fixture.api().namespace()).withName(secret).get().getData()
                .forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return data;
    }

    private void writeSecret(String secret, Map<String, String> data) {
        Map<String, String> encoded = new HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        fixture.api().client().secrets().inNamespace(fixture.api().namespace()).withName(secret).edit(s -> {
            s.setData(encoded);
            return s;
        });
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
