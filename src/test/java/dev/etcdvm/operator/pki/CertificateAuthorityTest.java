package dev.etcdvm.operator.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    private final Clock clock = Clock.systemUTC();
    private final CertificateAuthority ca = CertificateAuthority.generate("etcd-ca", Duration.ofDays(3650), clock);

    @Test
    void memberCertificateIsSignedByTheCaAndCarriesItsNames() throws Exception {
        IssuedCertificate issued = ca.issue(new CertificateRequest("etcd-1", List.of("etcd-1", "localhost"),
                List.of("10.250.0.11", "127.0.0.1"), CertificatePurpose.PEER, Duration.ofDays(365)));

        X509Certificate leaf = Pem.parseCertificate(issued.certificatePem());
        leaf.verify(Pem.parseCertificate(ca.certificatePem()).getPublicKey());
        assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=etcd-1");
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
                .containsExactlyInAnyOrder("etcd-1", "localhost", "10.250.0.11", "127.0.0.1");
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.notAfter()).isBetween(Instant.now().plus(Duration.ofDays(364)), Instant.now().plus(Duration.ofDays(366)));
        assertThat(issued.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(issued.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void distinctMembersGetDistinctKeys() {
        IssuedCertificate a = ca.issue(new CertificateRequest("a", List.of("a"), List.of(), CertificatePurpose.SERVER, Duration.ofDays(1)));
        IssuedCertificate b = ca.issue(new CertificateRequest("a", List.of("a"), List.of(), CertificatePurpose.SERVER, Duration.ofDays(1)));
        assertThat(a.privateKeyPem()).isNotEqualTo(b.privateKeyPem());
        assertThat(a.certificatePem()).isNotEqualTo(b.certificatePem());
    }

    @Test
    void leavesNeverOutliveTheirCa() {
        CertificateAuthority shortLived = CertificateAuthority.generate("short", Duration.ofDays(10), clock);
        IssuedCertificate leaf = shortLived.issue(new CertificateRequest("x", List.of("x"), List.of(),
                CertificatePurpose.CLIENT, Duration.ofDays(365)));
        assertThat(leaf.notAfter()).isEqualTo(shortLived.notAfter());
    }

    @Test
    void aCaRoundTripsThroughPemAndRejectsAForeignKey() {
        CertificateAuthority reloaded = CertificateAuthority.fromPem(ca.certificatePem(), ca.privateKeyPem(), clock);
        assertThat(reloaded.certificatePem()).isEqualTo(ca.certificatePem());

        CertificateAuthority other = CertificateAuthority.generate("other", Duration.ofDays(1), clock);
        assertThatThrownBy(() -> CertificateAuthority.fromPem(ca.certificatePem(), other.privateKeyPem(), clock))
                .isInstanceOf(PkiException.class).hasMessageContaining("does not belong");
        IssuedCertificate leaf = ca.issue(new CertificateRequest("x", List.of("x"), List.of(), CertificatePurpose.CLIENT, Duration.ofDays(1)));
        assertThatThrownBy(() -> CertificateAuthority.fromPem(leaf.certificatePem(), leaf.privateKeyPem(), clock))
                .isInstanceOf(PkiException.class).hasMessageContaining("not a CA");
    }

    @Test
    void malformedInputIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> Pem.parsePrivateKey("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(PkiException.class).hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> Pem.parseCertificate("garbage")).isInstanceOf(PkiException.class);
    }

    /** An independent implementation (OpenSSL) must accept the chain and the purposes. */
    @Test
    void opensslVerifiesServerAndClientPurposes(@TempDir Path dir) throws Exception {
        Path caFile = Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        Path server = Files.writeString(dir.resolve("server.crt"), ca.issue(new CertificateRequest("etcd-1",
                List.of("etcd-1"), List.of("10.250.0.11"), CertificatePurpose.SERVER, Duration.ofDays(1))).certificatePem());
        Path client = Files.writeString(dir.resolve("client.crt"), ca.issue(new CertificateRequest("operator",
                List.of(), List.of(), CertificatePurpose.CLIENT, Duration.ofDays(1))).certificatePem());

        assertThat(openssl("verify", "-purpose", "sslserver", "-CAfile", caFile.toString(), server.toString())).contains("OK");
        assertThat(openssl("verify", "-purpose", "sslclient", "-CAfile", caFile.toString(), client.toString())).contains("OK");
        assertThat(openssl("verify", "-purpose", "sslserver", "-CAfile", caFile.toString(), client.toString()))
                .contains("unsuitable certificate purpose");
        // etcd's JSON gateway presents the member's server certificate as its client certificate.
        assertThat(openssl("verify", "-purpose", "sslclient", "-CAfile", caFile.toString(), server.toString())).contains("OK");
    }

    @Test
    void aRenewedCertificateKeepsItsKeyAndTakesTheNewPurpose() throws Exception {
        IssuedCertificate legacy = LegacyCertificates.serverAuthOnly(ca, "etcd-1", Duration.ofDays(1));
        CertificateRequest request = new CertificateRequest("etcd-1", List.of("etcd-1"), List.of("10.250.0.11"),
                CertificatePurpose.SERVER, Duration.ofDays(30));
        assertThat(CertificateFacts.inspect(legacy.certificatePem(), ca.certificatePem()).fits(CertificatePurpose.SERVER))
                .as("a serverAuth-only certificate fits the server purpose").isFalse();

        IssuedCertificate renewed = ca.renew(request, legacy.certificatePem(), legacy.privateKeyPem());

        assertThat(renewed.privateKeyPem()).isEqualTo(legacy.privateKeyPem());
        X509Certificate leaf = Pem.parseCertificate(renewed.certificatePem());
        assertThat(leaf.getPublicKey()).isEqualTo(Pem.parseCertificate(legacy.certificatePem()).getPublicKey());
        assertThat(leaf.getSerialNumber()).isNotEqualTo(Pem.parseCertificate(legacy.certificatePem()).getSerialNumber());
        assertThat(CertificateFacts.inspect(renewed.certificatePem(), ca.certificatePem()).fits(CertificatePurpose.SERVER))
                .isTrue();
        assertThat(leaf.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(29)));
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsNotKept() {
        IssuedCertificate a = ca.issue(new CertificateRequest("a", List.of("a"), List.of(), CertificatePurpose.SERVER,
                Duration.ofDays(1)));
        IssuedCertificate b = ca.issue(new CertificateRequest("b", List.of("b"), List.of(), CertificatePurpose.SERVER,
                Duration.ofDays(1)));
        CertificateRequest request = new CertificateRequest("a", List.of("a"), List.of(), CertificatePurpose.SERVER,
                Duration.ofDays(1));

        IssuedCertificate renewed = ca.renew(request, a.certificatePem(), b.privateKeyPem());
        assertThat(renewed.privateKeyPem()).isNotIn(a.privateKeyPem(), b.privateKeyPem());
        assertThat(ca.renew(request, a.certificatePem(), "not a key").privateKeyPem()).isNotEqualTo(a.privateKeyPem());
    }

    private static String openssl(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
