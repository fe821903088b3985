package dev.etcdvm.operator.reconciler.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.pki.CertificateFacts;
import dev.etcdvm.operator.pki.CertificatePurpose;
import dev.etcdvm.operator.pki.IssuedCertificate;
import dev.etcdvm.operator.pki.LegacyCertificates;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.events.EventReason;
import java.util.HashMap;
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

    @Test
    void aServerCertificateWithoutClientAuthIsIssuedAgainForItsKeyAndTheRestKept() {
        ClusterTls first = at(START).ensure(cluster, secrets);
        CertificateAuthority ca = CertificateAuthority.fromPem(secrets.secrets.get("renewal-ca").get("ca.crt"),
                secrets.secrets.get("renewal-ca").get("ca.key"), Clock.systemUTC());
        IssuedCertificate legacy = LegacyCertificates.serverAuthOnly(ca, "etcd-1", Duration.ofDays(300),
                ipOf(first, "etcd-1"));
        Map<String, String> members = new HashMap<>(secrets.secrets.get("renewal-member-tls"));
        members.put("etcd-1.server.crt", legacy.certificatePem());
        members.put("etcd-1.server.key", legacy.privateKeyPem());
        secrets.secrets.put("renewal-member-tls", members);

        ClusterTls next = at(START.plus(Duration.ofMinutes(1))).ensure(cluster, secrets);

        MemberTls renewed = next.members().get("etcd-1");
        assertThat(renewed.serverKeyPem()).as("the key stays").isEqualTo(legacy.privateKeyPem());
        assertThat(renewed.serverCertPem()).isNotEqualTo(legacy.certificatePem());
        assertThat(CertificateFacts.inspect(renewed.serverCertPem(), ca.certificatePem())
                .fits(CertificatePurpose.SERVER)).isTrue();
        assertThat(next.members().get("etcd-2").serverCertPem()).isEqualTo(first.members().get("etcd-2").serverCertPem());
        assertThat(next.renewed()).containsExactly(new LeafRenewal("etcd-1 server", LeafRenewal.Cause.KEY_USAGE));
        assertThat(LeafRenewal.announcement(next.renewed())).hasValueSatisfying(a -> {
            assertThat(a.reason()).isEqualTo(EventReason.CertificatesRenewed);
            assertThat(a.message()).contains("etcd-1 server", "clientAuth", "no restart");
        });
        assertThat(at(START.plus(Duration.ofMinutes(2))).ensure(cluster, secrets).renewed())
                .as("renewed once, then kept").isEmpty();
    }

    @Test
    void aRenewalInsideTheWindowKeepsEveryKey() {
        cluster.getSpec().getTls().setCertificateValidityDays(10);
        cluster.getSpec().getTls().setRenewBeforeDays(3);
        ClusterTls first = at(START).ensure(cluster, secrets);

        ClusterTls renewed = at(START.plus(Duration.ofDays(8))).ensure(cluster, secrets);

        assertThat(renewed.members().get("etcd-3").peerKeyPem()).isEqualTo(first.members().get("etcd-3").peerKeyPem());
        assertThat(renewed.operatorKeyPem()).isEqualTo(first.operatorKeyPem());
        assertThat(renewed.renewed()).hasSize(3 * 2 + 2)
                .allSatisfy(r -> assertThat(r.cause()).isEqualTo(LeafRenewal.Cause.EXPIRING));
    }

    private static String ipOf(ClusterTls tls, String member) {
        return CertificateFacts.inspect(tls.members().get(member).serverCertPem(), tls.caPem()).ipAddresses().stream()
                .filter(ip -> !ip.equals("127.0.0.1")).findFirst().orElseThrow();
    }

    private static ClusterCertificates at(Instant now) {
        return new ClusterCertificates(Clock.fixed(now, ZoneOffset.UTC), PhaseTimings.NONE);
    }
}
