package dev.etcdvm.operator.reconciler.tls;

import dev.etcdvm.operator.provision.MemberTls;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The TLS material of one cluster for this pass.
 *
 * @param caPem the CAs members and clients trust now: one, or the old and the new during a rotation
 * @param members per member name
 * @param operatorCertPem and {@code operatorKeyPem}: the operator's own client identity
 * @param rotation where a CA rotation stands, with the CA's and the certificates' expiry
 * @param renewed certificates issued again this pass, each with why (empty when none was)
 */
public record ClusterTls(String caPem, Map<String, MemberTls> members, String operatorCertPem, String operatorKeyPem,
        CaRotation rotation, List<LeafRenewal> renewed) {

    public ClusterTls {
        renewed = List.copyOf(renewed);
    }

    /** Material of a cluster with one CA and no rotation under way. */
    public ClusterTls(String caPem, Map<String, MemberTls> members, String operatorCertPem, String operatorKeyPem,
            Instant firstExpiry) {
        this(caPem, members, operatorCertPem, operatorKeyPem, CaRotation.settled(firstExpiry, firstExpiry, List.of(caPem)),
                List.of());
    }

    /** When the first of the cluster's certificates (CA included) expires. */
    public Instant firstExpiry() {
        return rotation.leafNotAfter().isBefore(rotation.caNotAfter()) ? rotation.leafNotAfter() : rotation.caNotAfter();
    }

    @Override
    public String toString() {
        return "ClusterTls[" + members.keySet() + ", " + rotation.phase() + "]";
    }
}
