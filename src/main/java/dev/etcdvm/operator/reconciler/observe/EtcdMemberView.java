package dev.etcdvm.operator.reconciler.observe;

import java.util.List;

/**
 * One etcd member as the member list and its own endpoint describe it. Numbers are null when the
 * endpoint did not answer.
 *
 * @param revision the store revision the member's own endpoint reports
 */
public record EtcdMemberView(String id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner,
        boolean healthy, Long healthLatencyMillis, String healthError, String version, Long dbSizeBytes,
        Long dbSizeInUseBytes, Long raftTerm, Long raftIndex, boolean leader, Long revision) {

    public EtcdMemberView(String id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner,
            boolean healthy, Long healthLatencyMillis, String healthError, String version, Long dbSizeBytes,
            Long dbSizeInUseBytes, Long raftTerm, Long raftIndex, boolean leader) {
        this(id, name, peerUrls, clientUrls, learner, healthy, healthLatencyMillis, healthError, version, dbSizeBytes,
                dbSizeInUseBytes, raftTerm, raftIndex, leader, null);
    }
}
