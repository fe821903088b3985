package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.pki.CertificateFacts;
import dev.etcdvm.operator.pki.PkiException;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.provision.MachineDrift;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Checks a machine before MemberAdd: once added, a voter whose peer URL nobody can reach or whose
 * certificate does not cover that URL counts against quorum until it is removed again.
 */
final class JoinCheck {
    private JoinCheck() {
    }

    /** Why the machine must not be added now; empty when it may. */
    static Optional<String> problem(MembershipChange.AddLearner add, Optional<MachineDrift> machine,
            ClusterTls tls) {
        String name = add.member().getName();
        if (machine.isEmpty() || machine.get().provisioningNeeded()) {
            return Optional.of("adding " + name + " waits until its machine is installed"
                    + (machine.isEmpty() ? " (not probed in shape this pass)" : ""));
        }
        return certificates(add, tls);
    }

    /** Why the machine's certificates do not let it join: none yet, or a peer certificate not covering its URL. */
    static Optional<String> certificates(MembershipChange.AddLearner add, ClusterTls tls) {
        String name = add.member().getName();
        MemberTls certs = tls.members().get(name);
        if (certs == null) {
            return Optional.of("adding " + name + " waits for its certificates");
        }
        CertificateFacts peer;
        try {
            peer = CertificateFacts.inspect(certs.peerCertPem(), certs.caPem());
        } catch (PkiException e) {
            return Optional.of("adding " + name + " refused: its peer certificate cannot be read: " + e.getMessage());
        }
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
