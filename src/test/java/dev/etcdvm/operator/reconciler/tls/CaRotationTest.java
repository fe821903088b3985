package dev.etcdvm.operator.reconciler.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.pki.TrustBundle;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.tls.CaRotation.Phase;
import dev.etcdvm.operator.support.Specs;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A CA rotation through the cluster's Secrets, pass after pass: which CAs members trust, who signed their
 * certificates, and that the operator's and every member's certificate is trusted by every member at each
 * step (before it moves on and after), so nothing ever stops talking.
 */
class CaRotationTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final EtcdVmCluster cluster = Specs.threeMembers("rotating", "ns");
    private final MemorySecrets secrets = new MemorySecrets();
    private final ClusterCertificates certificates = at(START);

    @Test
    void anotherCaIsTrustedFirstThenIssuesThenTheOldOneIsDropped() {
        ClusterTls formed = certificates.ensure(cluster, secrets);
        String oldCa = secrets.secrets.get("rotating-ca").get("ca.crt");
        assertThat(formed.rotation().phase()).isEqualTo(Phase.None);
        CertificateAuthority byo = byoCa("byo-ca", Duration.ofDays(3650));
        cluster.getSpec().getTls().setCaSecretRef(new SecretRef("byo-ca"));

        ClusterTls pending = certificates.ensure(cluster, secrets);
        assertThat(pending.rotation().phase()).isEqualTo(Phase.Pending);
        assertThat(pending.caPem()).as("trusted until every member settled").isEqualTo(formed.caPem());
        assertThat(pending.members()).isEqualTo(formed.members());

        List<ClusterTls> steps = new ArrayList<>(List.of(pending));
        List<Phase> phases = new ArrayList<>();
        List<String> clientsTrust = new ArrayList<>();
        for (Optional<ClusterCertificates.Advanced> next = certificates.advance(cluster, secrets); next.isPresent();
                next = certificates.advance(cluster, secrets)) {
            phases.add(next.get().to());
            clientsTrust.add(secrets.secrets.get("rotating-client").get("ca.crt"));
            steps.add(next.get().tls());
            ClusterTls again = certificates.ensure(cluster, secrets);
            assertThat(again.renewed()).as("a pass that does not move on renews nothing").isEmpty();
            assertThat(again).as("a pass that does not move on changes nothing").usingRecursiveComparison()
                    .ignoringFields("renewed").isEqualTo(next.get().tls());
        }

        assertThat(phases).containsExactly(Phase.TrustBoth, Phase.NewCertificates, Phase.DropOld, Phase.None);
        ClusterTls trustBoth = steps.get(1);
        assertThat(TrustBundle.parse(trustBoth.caPem()).certificates()).hasSize(2);
        assertThat(trustBoth.members()).as("certificates while members learn the new CA").allSatisfy((name, tls) ->
                assertThat(signer(tls.serverCertPem(), trustBoth)).isEqualTo(normal(oldCa)));
        assertThat(clientsTrust.get(0)).as("clients trust both").isEqualTo(trustBoth.caPem());
        ClusterTls reissued = steps.get(2);
        assertThat(reissued.members().values()).allSatisfy(tls -> {
            assertThat(signer(tls.serverCertPem(), reissued)).isEqualTo(normal(byo.certificatePem()));
            assertThat(signer(tls.peerCertPem(), reissued)).isEqualTo(normal(byo.certificatePem()));
        });
        assertThat(signer(reissued.operatorCertPem(), reissued)).isEqualTo(normal(byo.certificatePem()));
        ClusterTls done = steps.get(steps.size() - 1);
        assertThat(done.caPem()).isEqualTo(normal(byo.certificatePem()));
        assertThat(secrets.secrets.get("rotating-client").get("ca.crt")).isEqualTo(done.caPem());
        assertThat(done.rotation().knownTrust()).containsExactly(done.caPem());
        for (int i = 1; i < steps.size(); i++) {
            assertEveryCertificateTrustedAcross(steps.get(i - 1), steps.get(i));
        }
    }

    @Test
    void aLostGeneratedCaIsRotatedAwayFromInsteadOfReissuingEverythingAtOnce() {
        ClusterTls formed = certificates.ensure(cluster, secrets);
        secrets.secrets.remove("rotating-ca");

        ClusterTls after = certificates.ensure(cluster, secrets);

        assertThat(after.rotation().phase()).isEqualTo(Phase.Pending);
        assertThat(after.members()).as("certificates members hold and trust").isEqualTo(formed.members());
        assertThat(after.operatorCertPem()).isEqualTo(formed.operatorCertPem());
        assertThat(secrets.secrets.get("rotating-ca").get("ca.crt")).isNotEqualTo(formed.caPem());
    }

    @Test
    void theRotationAnnotationReplacesTheGeneratedCaOncePerValue() {
        certificates.ensure(cluster, secrets);
        String first = secrets.secrets.get("rotating-ca").get("ca.crt");
        cluster.getMetadata().setAnnotations(new HashMap<>(Map.of(EtcdVmCluster.ROTATE_CA_ANNOTATION, "2026-11")));

        assertThat(certificates.ensure(cluster, secrets).rotation().phase()).isEqualTo(Phase.Pending);
        String second = secrets.secrets.get("rotating-ca").get("ca.crt");
        certificates.ensure(cluster, secrets);

        assertThat(second).isNotEqualTo(first);
        assertThat(secrets.secrets.get("rotating-ca").get("ca.crt")).as("the same value again").isEqualTo(second);
    }

    @Test
    void theGeneratedCaIsReplacedWhileItStillOutlivesANewCertificate() {
        certificates.ensure(cluster, secrets);
        String first = secrets.secrets.get("rotating-ca").get("ca.crt");
        Instant expiry = START.plus(ClusterCertificates.CA_VALIDITY); // a new certificate lasts 365 days

        assertThat(at(expiry.minus(Duration.ofDays(366))).ensure(cluster, secrets).rotation().phase())
                .isEqualTo(Phase.None);
        ClusterTls due = at(expiry.minus(Duration.ofDays(364))).ensure(cluster, secrets);

        assertThat(due.rotation().phase()).isEqualTo(Phase.Pending);
        assertThat(secrets.secrets.get("rotating-ca").get("ca.crt")).isNotEqualTo(first);
        assertThat(due.rotation().renewalProblem()).isEmpty();
    }

    @Test
    void aCaOfTheUsersOwnInsideItsRenewalWindowIsReportedAsNotRenewable() {
        byoCa("byo-ca", Duration.ofDays(40));
        cluster.getSpec().getTls().setCaSecretRef(new SecretRef("byo-ca"));

        assertThat(certificates.ensure(cluster, secrets).rotation().renewalProblem()).isEmpty();
        assertThat(at(START.plus(Duration.ofDays(11))).ensure(cluster, secrets).rotation().renewalProblem())
                .hasValueSatisfying(p -> assertThat(p).contains("byo-ca", "renewed CA"));
    }

    /** Every member and the operator present certificates the members of both steps trust. */
    private static void assertEveryCertificateTrustedAcross(ClusterTls before, ClusterTls after) {
        for (ClusterTls trust : List.of(before, after)) {
            TrustBundle bundle = TrustBundle.parse(trust.caPem());
            for (ClusterTls presented : List.of(before, after)) {
                assertThat(bundle.signerOf(presented.operatorCertPem())).as("operator certificate trusted").isPresent();
                for (MemberTls member : presented.members().values()) {
                    assertThat(bundle.signerOf(member.peerCertPem())).as("peer certificate trusted").isPresent();
                    assertThat(bundle.signerOf(member.serverCertPem())).as("server certificate trusted").isPresent();
                }
            }
        }
    }

    private CertificateAuthority byoCa(String name, Duration validity) {
        CertificateAuthority ca = CertificateAuthority.generate(name, validity, Clock.fixed(START, ZoneOffset.UTC));
        secrets.secrets.put(name, Map.of("ca.crt", ca.certificatePem(), "ca.key", ca.privateKeyPem()));
        return ca;
    }

    private static String signer(String certPem, ClusterTls tls) {
        return TrustBundle.parse(tls.caPem()).signerOf(certPem).orElseThrow();
    }

    private static String normal(String pem) {
        return TrustBundle.parse(pem).pem();
    }

    private static ClusterCertificates at(Instant now) {
        return new ClusterCertificates(Clock.fixed(now, ZoneOffset.UTC), PhaseTimings.NONE);
    }
}
