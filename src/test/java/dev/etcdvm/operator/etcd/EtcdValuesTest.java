package dev.etcdvm.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.pki.CertificatePurpose;
import dev.etcdvm.operator.pki.CertificateRequest;
import dev.etcdvm.operator.pki.IssuedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value types, TLS parsing and argument checks: no etcd needed. */
class EtcdValuesTest {
    private static final CertificateAuthority CA =
            CertificateAuthority.generate("unit-ca", Duration.ofDays(1), Clock.systemUTC());
    private static final IssuedCertificate CLIENT = CA.issue(new CertificateRequest("operator", List.of(),
            List.of(), CertificatePurpose.CLIENT, Duration.ofDays(1)));
    private static final EtcdTls TLS = new EtcdTls(CA.certificatePem(), CLIENT.certificatePem(), CLIENT.privateKeyPem());

    @Test
    void tlsToStringHidesTheKey() {
        assertThat(TLS.toString()).contains("key=<hidden>").doesNotContain(keyBody(TLS.keyPem()))
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void hexIdIsEtcdsUnsignedLowercaseHex() {
        EtcdMember small = new EtcdMember(0x8e9e05c52164694dL, "m1", List.of(), List.of(), false);
        assertThat(small.hexId()).isEqualTo("8e9e05c52164694d"); // above Long.MAX_VALUE: still unsigned
        assertThat(new EtcdMember(0xabcL, null, List.of(), List.of(), true).hexId()).isEqualTo("abc");
        assertThat(EtcdMember.parseHex("8e9e05c52164694d")).isEqualTo(small.id());
        assertThat(new EtcdMember(1, null, List.of(), List.of(), true).name()).isEmpty();
    }

    @Test
    void validTlsMaterialBuildsAClientWithoutConnecting() {
        try (JetcdCluster cluster = new JetcdCluster(List.of("https://127.0.0.1:1"), TLS, Duration.ofSeconds(1))) {
            assertThat(cluster.endpoints()).containsExactly("https://127.0.0.1:1");
        }
    }

    @Test
    void brokenTlsMaterialIsRejectedWithoutEchoingIt() {
        String key = TLS.keyPem();
        String corruptKey = key.replace(keyBody(key), "A" + keyBody(key).substring(1, 20) + "@@@");
        List<EtcdTls> broken = List.of(
                new EtcdTls("not a pem", TLS.certPem(), key),
                new EtcdTls(TLS.caPem(), "", key),
                new EtcdTls(TLS.caPem(), TLS.certPem(), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----"),
                new EtcdTls(TLS.caPem(), TLS.certPem(), corruptKey),
                // a key that belongs to another certificate
                new EtcdTls(TLS.caPem(), TLS.certPem(), CA.privateKeyPem()));
        for (EtcdTls tls : broken) {
            assertThatThrownBy(() -> new JetcdCluster(List.of("https://127.0.0.1:1"), tls, Duration.ofSeconds(1)))
                    .isInstanceOf(EtcdException.class)
                    .hasMessageStartingWith("etcd.tls")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(keyBody(key))
                            .doesNotContain(keyBody(CA.privateKeyPem())))
                    .hasNoCause();
        }
    }

    @Test
    void endpointsMustBeHttpsUrls() {
        for (String bad : List.of("http://127.0.0.1:2379", "127.0.0.1:2379", "https://127.0.0.1", "https://[bad")) {
            assertThatThrownBy(() -> new JetcdCluster(List.of(bad), TLS, Duration.ofSeconds(1)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> new JetcdCluster(List.of(), TLS, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JetcdCluster(List.of("https://127.0.0.1:1"), TLS, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoppedEndpointIsUnhealthyNotAnException() {
        try (JetcdCluster cluster = new JetcdCluster(List.of("https://127.0.0.1:1"), TLS, Duration.ofSeconds(1))) {
            EndpointHealth h = cluster.health("https://127.0.0.1:1");
            assertThat(h.healthy()).isFalse();
            assertThat(h.error()).startsWith("etcd.health on https://127.0.0.1:1 failed: unreachable")
                    .contains("Connection refused");
            assertThatThrownBy(cluster::members).isInstanceOf(EtcdException.class)
                    .hasMessageStartingWith("etcd.memberList on https://127.0.0.1:1 failed: no member reachable");
        }
    }

    static String keyBody(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }
}
