package dev.etcdvm.operator.etcd;

import java.util.List;

/**
 * What one endpoint says about itself ({@code etcdctl endpoint status}).
 *
 * @param memberId and {@code clusterId}: from the response header, i.e. who actually answered
 * @param version the server's etcd version, e.g. "3.5.16"
 * @param dbSize backend size in bytes
 * @param dbSizeInUse bytes actually in use; 0 when the server does not report it (etcd 3.4)
 * @param leaderId the member this endpoint believes is leader; 0 when it knows none
 * @param raftAppliedIndex 0 when the server does not report it (etcd 3.4)
 * @param learner whether the answering member is a learner (false on servers that do not say)
 * @param errors alarm-like errors the server reports, e.g. "memberID:... alarm:NOSPACE"
 * @param revision the store revision of the answering member (it answers without a leader: a quorum loss's survivor
 *     says how far its data goes)
 */
public record EndpointStatus(String endpoint, long memberId, long clusterId, String version, long dbSize,
        long dbSizeInUse, long leaderId, long raftTerm, long raftIndex, long raftAppliedIndex, boolean learner,
        List<String> errors, long revision) {
    public EndpointStatus {
        errors = List.copyOf(errors);
    }

    /** Whether the answering member knows of a leader; without one it serves no reads or writes. */
    public boolean knowsLeader() {
        return leaderId != 0;
    }

    /** Whether the answering member is the leader it reports. */
    public boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }
}
