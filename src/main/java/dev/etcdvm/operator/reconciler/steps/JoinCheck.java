package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.pki.CertificateFacts;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Checks a machine before MemberAdd: once added, a voter whose peer URL nobody can reach or whose
 * certificate does not cover that URL counts against quorum until it is removed again.
 */
public final class JoinCheck {
    private JoinCheck() {
    }

    /** Why the machine must not be added now; empty when it may. */
    public static Optional<String> problem(MembershipChange.AddLearner add, HostResult prepared, ClusterTls tls) {
        String name = add.member().getName();
        if (prepared == null || prepared.outcome().isEmpty()) {
            return Optional.of("adding " + name + " waits until its machine is installed"
                    + (prepared == null ? "" : ": " + prepared.failure().map(f -> f.message()).orElse("")));
        }
        MemberTls certs = tls.members().get(name);
        if (certs == null) {
            return Optional.of("adding " + name + " waits for its certificates");
        }
        CertificateFacts peer = CertificateFacts.inspect(certs.peerCertPem(), certs.caPem());
        if (!peer.signedBy() || !covers(peer, add.member().getAddress())) {
            return Optional.of("adding " + name + " refused: its peer certificate does not cover " + add.peerUrl());
        }
        return Optional.empty();
    }

    static boolean covers(CertificateFacts cert, String address) {
        if (cert.dnsNames().contains(address)) {
            return true;
        }
        if (!EtcdUrls.isIpLiteral(address)) {
            return false;
        }
        try {
            InetAddress wanted = InetAddress.getByName(address);
            for (String ip : cert.ipAddresses()) {
                if (InetAddress.getByName(ip).equals(wanted)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }
}
