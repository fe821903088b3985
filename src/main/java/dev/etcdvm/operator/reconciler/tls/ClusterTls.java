package dev.etcdvm.operator.reconciler.tls;

import dev.etcdvm.operator.provision.MemberTls;
import java.time.Instant;
import java.util.Map;

/**
 * The TLS material of one cluster for this pass.
 *
 * @param members per member name
 * @param operatorCertPem and {@code operatorKeyPem}: the operator's own client identity
 * @param firstExpiry when the first of the cluster's certificates (CA included) expires
 */
public record ClusterTls(String caPem, Map<String, MemberTls> members, String operatorCertPem, String operatorKeyPem,
        Instant firstExpiry) {
    @Override
    public String toString() {
        return "ClusterTls[" + members.keySet() + "]";
    }
}
