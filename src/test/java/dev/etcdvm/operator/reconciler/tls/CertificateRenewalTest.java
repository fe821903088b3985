package dev.etcdvm.operator.reconciler.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.support.Specs;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When leaf certificates are kept and when they are issued again, as days go by. */
class CertificateRenewalTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final EtcdVmCluster cluster = Specs.threeMembers("renewal", "ns");
    private final MemorySecrets secrets = new MemorySecrets();

    @Test
    void leafCertificatesAreKeptUntilTheirRenewalWindowAndThenIssuedAgain() {
        cluster.getSpec().getTls().setCertificateValidityDays(10);
        cluster.getSpec().getTls().setRenewBeforeDays(3);
        ClusterTls first = at(START).ensure(cluster, secrets);
        int writes = secrets.writes;

        ClusterTls later = at(START.plus(Duration.ofDays(6))).ensure(cluster, secrets);
        assertThat(later.members().get("etcd-1").serverCertPem()).isEqualTo(first.members().get("etcd-1").serverCertPem());
        assertThat(secrets.writes).as("Secret writes before the renewal window").isEqualTo(writes);

        ClusterTls renewed = at(START.plus(Duration.ofDays(8))).ensure(cluster, secrets);
        assertThat(renewed.members().get("etcd-1").serverCertPem()).isNotEqualTo(first.members().get("etcd-1").serverCertPem());
        assertThat(renewed.firstExpiry()).isAfter(START.plus(Duration.ofDays(17)));
    }

    @Test
    void aCertificateCappedAtItsCasExpiryIsKeptInsteadOfReissuedOnEveryPass() {
        CertificateAuthority shortCa = CertificateAuthority.generate("byo-ca", Duration.ofDays(90),
                Clock.fixed(START, ZoneOffset.UTC));
        secrets.secrets.put("byo-ca", Map.of("ca.crt", shortCa.certificatePem(), "ca.key", shortCa.privateKeyPem()));
        cluster.getSpec().getTls().setCaSecretRef(new SecretRef("byo-ca"));
        Instant day70 = START.plus(Duration.ofDays(70)); // inside the 30-day renewal window of the CA itself

        ClusterTls capped = at(day70).ensure(cluster, secrets);
        int writes = secrets.writes;
        ClusterTls again = at(day70.plus(Duration.ofMinutes(1))).ensure(cluster, secrets);

        assertThat(capped.firstExpiry()).isEqualTo(shortCa.notAfter());
        assertThat(again.members().get("etcd-2").peerCertPem()).isEqualTo(capped.members().get("etcd-2").peerCertPem());
        assertThat(secrets.writes).as("Secret writes of the second pass").isEqualTo(writes);
    }

    private static ClusterCertificates at(Instant now) {
        return new ClusterCertificates(Clock.fixed(now, ZoneOffset.UTC), PhaseTimings.NONE);
    }
}
