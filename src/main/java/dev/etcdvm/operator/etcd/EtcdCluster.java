package dev.etcdvm.operator.etcd;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/**
 * The operator's view of one running etcd cluster. Every call is bounded by a timeout and fails with
 * {@link EtcdException}. An interface so the reconciler's decisions can be tested against a fake.
 */
public interface EtcdCluster {
    /** The member list as the cluster agrees on it. */
    List<EtcdMember> members();

    /** Status of the member behind this one endpoint (asked directly, not load-balanced). */
    EndpointStatus status(String endpoint);

    /**
     * The cluster version this endpoint reports (etcd's /version "etcdcluster", e.g. "3.5.0"): the minor
     * version every member runs at least, raised by the leader once all have been upgraded.
     */
    String clusterVersion(String endpoint);

    /**
     * Streams a snapshot of this member's database into the sink as etcd sends it (database, then its
     * SHA-256), never holding it whole, and checks the trailer on the way.
     *
     * @param within how long the whole stream may take
     * @throws EtcdException when the member fails or the trailer does not match (the sink then holds a
     *     snapshot that must not be kept)
     */
    SnapshotInfo snapshot(String endpoint, OutputStream sink, Duration within);

    /** Linearizable read against this endpoint only; never throws, a failure is an unhealthy result. */
    EndpointHealth health(String endpoint);

    /** Active alarms, cluster-wide. */
    List<EtcdAlarm> alarms();

    /**
     * Defragments the database of the member behind this endpoint; it serves nothing while it runs.
     *
     * @param within how long it may take (it rewrites the whole database file)
     */
    void defragment(String endpoint, Duration within);

    /** Compacts the key history up to this revision, physically (done when this returns). */
    void compact(long revision);

    /** Disarms every active alarm of this type (e.g. "NOSPACE"); returns those it disarmed. */
    List<EtcdAlarm> disarm(String type);

    /** Adds a non-voting learner with these peer URLs; start its process with initial-cluster-state=existing. */
    EtcdMember addLearner(List<String> peerUrls);

    /** Makes a learner a voting member; etcd refuses until the learner has caught up with the leader. */
    void promote(long memberId);

    void remove(long memberId);

    /** Hands leadership to another voting member; sent to the current leader, as etcd requires. */
    void moveLeader(long toMemberId);
}
