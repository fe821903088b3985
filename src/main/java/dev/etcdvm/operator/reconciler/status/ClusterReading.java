package dev.etcdvm.operator.reconciler.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One cluster's numbers as a pass left them, for metrics: what status keeps only as state, and what it refreshes
 * rarely, as it is now.
 *
 * @param namespace and {@code cluster}: the resource
 * @param wanted members the spec asks for
 * @param healthy healthy voting members
 * @param voting voting members etcd lists
 * @param leader the leader's member name, when one leads
 * @param ready the Ready condition is True
 * @param members per member of the spec
 * @param firstCertificateExpiry when the first of the cluster's certificates (or its CA) expires, once known
 * @param renewBefore how long before expiry certificates are renewed
 * @param lastGoodSnapshot when the last snapshot was stored, with backups configured
 */
public record ClusterReading(String namespace, String cluster, int wanted, long healthy, long voting,
        Optional<String> leader, boolean ready, List<MemberReading> members, Optional<Instant> firstCertificateExpiry,
        Duration renewBefore, Optional<Instant> lastGoodSnapshot) {

    /**
     * @param raftLag how far its raft index is behind the leader's, when both are known
     */
    public record MemberReading(String name, boolean healthy, Long dbTotalBytes, Long dbInUseBytes, Long raftLag,
            Long healthLatencyMillis) {
    }
}
