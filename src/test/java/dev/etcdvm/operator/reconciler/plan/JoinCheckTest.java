package dev.etcdvm.operator.reconciler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.pki.CertificatePurpose;
import dev.etcdvm.operator.pki.CertificateRequest;
import dev.etcdvm.operator.pki.IssuedCertificate;
import dev.etcdvm.operator.provision.MachineDrift;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The checks before MemberAdd: the machine was probed installed and its peer certificate covers its address. */
class JoinCheckTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final MemberSpec M4 = new MemberSpec("etcd-4", "10.250.0.14");
    private static final CertificateAuthority CA = CertificateAuthority.generate("etcd-ca", Duration.ofDays(30), CLOCK);
    private static final CertificateAuthority OTHER_CA = CertificateAuthority.generate("other-ca", Duration.ofDays(30), CLOCK);
    private static final MembershipChange.AddLearner ADD = new MembershipChange.AddLearner(M4, peerUrl(M4));
    /** Installed as a standby exactly as planned: nothing left for provisioning to do. */
    private static final Optional<MachineDrift> INSTALLED = Optional.of(
            new MachineDrift(false, List.of(), false, false, false, false, false));

    @Test
    void aMachineNotProbedThisPassIsNotAddedYet() {
        assertThat(JoinCheck.problem(ADD, Optional.empty(), tls(CA, peerCert(CA, List.of(), List.of("10.250.0.14")))))
                .hasValueSatisfying(p -> assertThat(p).contains("etcd-4", "waits until its machine is installed"));
    }

    @Test
    void aMachineStillToBeProvisionedIsNotAdded() {
        MachineDrift toInstall = new MachineDrift(false, List.of(), true, false, false, false, false);
        assertThat(JoinCheck.problem(ADD, Optional.of(toInstall), tls(CA, peerCert(CA, List.of(), List.of("10.250.0.14")))))
                .hasValueSatisfying(p -> assertThat(p).contains("waits until its machine is installed"));
    }

    @Test
    void aMachineWithoutCertificatesIsNotAdded() {
        ClusterTls none = new ClusterTls(CA.certificatePem(), Map.of(), "op", "opk", Instant.now());
        assertThat(JoinCheck.problem(ADD, INSTALLED, none))
                .hasValueSatisfying(p -> assertThat(p).contains("etcd-4", "waits for its certificates"));
    }

    @Test
    void aPeerCertificateCoveringTheIpIsAccepted() {
        assertThat(JoinCheck.problem(ADD, INSTALLED,
                tls(CA, peerCert(CA, List.of("etcd-4"), List.of("10.250.0.14", "127.0.0.1"))))).isEmpty();
    }

    @Test
    void aPeerCertificateForAnotherAddressIsRefused() {
        assertThat(JoinCheck.problem(ADD, INSTALLED, tls(CA, peerCert(CA, List.of("etcd-4"), List.of("10.250.0.13")))))
                .hasValueSatisfying(p -> assertThat(p).contains("refused", "does not cover https://10.250.0.14:2380"));
    }

    @Test
    void aPeerCertificateFromAnotherCaIsRefused() {
        assertThat(JoinCheck.problem(ADD, INSTALLED, tls(CA, peerCert(OTHER_CA, List.of(), List.of("10.250.0.14")))))
                .hasValueSatisfying(p -> assertThat(p).contains("refused"));
    }

    @Test
    void aDnsAddressMustBeADnsNameOfTheCertificate() {
        MemberSpec named = new MemberSpec("etcd-4", "etcd-4.example.internal");
        MembershipChange.AddLearner add = new MembershipChange.AddLearner(named, "https://etcd-4.example.internal:2380");
        assertThat(JoinCheck.problem(add, INSTALLED,
                tls(CA, peerCert(CA, List.of("etcd-4.example.internal"), List.of())))).isEmpty();
        assertThat(JoinCheck.problem(add, INSTALLED,
                tls(CA, peerCert(CA, List.of("etcd-5.example.internal"), List.of("10.250.0.14"))))).isPresent();
    }

    @Test
    void anIpv6AddressMatchesInAnySpelling() {
        MemberSpec v6 = new MemberSpec("etcd-4", "fd00:0:0:0:0:0:0:14");
        MembershipChange.AddLearner add = new MembershipChange.AddLearner(v6, "https://[fd00::14]:2380");
        assertThat(JoinCheck.problem(add, INSTALLED, tls(CA, peerCert(CA, List.of(), List.of("fd00::14"))))).isEmpty();
        assertThat(JoinCheck.problem(add, INSTALLED, tls(CA, peerCert(CA, List.of(), List.of("fd00::15"))))).isPresent();
    }

    private static IssuedCertificate peerCert(CertificateAuthority ca, List<String> dns, List<String> ips) {
        return ca.issue(new CertificateRequest("etcd-4", dns, ips, CertificatePurpose.PEER, Duration.ofDays(1)));
    }

    private static ClusterTls tls(CertificateAuthority ca, IssuedCertificate peer) {
        MemberTls member = new MemberTls(ca.certificatePem(), "server-cert", "server-key", peer.certificatePem(),
                peer.privateKeyPem());
        return new ClusterTls(ca.certificatePem(), Map.of("etcd-4", member), "op", "opk", ca.notAfter());
    }

    private static String peerUrl(MemberSpec m) {
        String host = m.getAddress().contains(":") ? "[" + m.getAddress() + "]" : m.getAddress();
        return "https://" + host + ":2380";
    }
}
