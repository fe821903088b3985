package dev.etcdvm.operator.reconciler.observe;

import java.util.List;

/**
 * One etcd member as the member list and its own endpoint describe it. Numbers are null when the
 * endpoint did not answer.
 */
public record EtcdMemberView(String id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner,
        boolean healthy, Long healthLatencyMillis, String healthError, String version, Long dbSizeBytes,
        Long dbSizeInUseBytes, Long raftTerm, Long raftIndex, boolean leader) {
}
