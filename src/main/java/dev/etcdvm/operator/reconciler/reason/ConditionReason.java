package dev.etcdvm.operator.reconciler.reason;

/** The reasons a condition or an action's outcome gives for a state, or for something that waits. */
public enum ConditionReason implements Reason {
    // The spec
    /** The spec is valid. */
    Valid,
    /** The spec names an impossible value. */
    InvalidSpec,
    /** The spec changes a field the running cluster cannot take. */
    SpecChangeRefused,
    /** The spec changed while the pass observed: the next pass plans again. */
    SpecChanged,
    /** spec.paused or the paused annotation. */
    Paused,

    // What a pass decided
    /** Forming a new cluster. */
    Bootstrapping,
    /** The cluster exists; the pass brings it towards the spec. */
    Converging,
    /** Members answer with another cluster's id. */
    ClusterIdMismatch,
    /** The data is gone: a leader behind the recorded index, or every voter empty. */
    DataLossDetected,
    /** A majority of voters out, no leader. */
    QuorumLost,
    /** No member in sight leads, and the voters out of sight could be a working majority: a split, as far as seen. */
    Unreachable,
    /** A record in status that steers a destructive action does not match what the operator can re-derive. */
    StatusNotTrusted,
    /** A chosen quorum recovery is under way. */
    QuorumRecovering,
    /** A quorum recovery took hold; writes after the kept revision may be lost. */
    QuorumRecovered,

    // Membership
    /** The membership matches the spec. */
    MembershipSettled,
    /** A membership change was made this pass. */
    MembershipChanging,
    /** A joining machine is not installed yet, or has no certificate covering its peer URL yet. */
    WaitingForHost,
    /** A risky change waits for the snapshot taken for it. */
    WaitingForSnapshot,
    /** A learner was added and is starting. */
    LearnerJoining,
    /** A learner is catching up with the leader. */
    LearnerCatchingUp,
    /** A change waits until every voting member is healthy. */
    MembersNotHealthy,
    /** A removal would leave too few healthy voters. */
    QuorumGuard,
    /** etcd cannot be asked. */
    EtcdUnavailable,
    /** etcd raised an alarm. */
    AlarmActive,
    /** Whether etcd raised an alarm is not known. */
    AlarmStateUnknown,
    /** Not every founder runs; the cluster cannot form this pass. */
    FoundersNotStarted,
    /** The founders did not form the cluster within the time a pass waits for it. */
    NotFormedYet,
    /** A healthy voter's data has no recorded identity yet: Ready waits until it is marked. */
    DataIdentityPending,
    /** A machine still running an old member could not be stopped; a quorum recovery waits. */
    NotStopped,

    // Health
    /** Every machine answered. */
    AllReachable,
    /** Every member is healthy. */
    AllMembersHealthy,
    /** Some voting member is not healthy. */
    MembersUnhealthy,
    /** Every voting member is healthy. */
    VotersHealthy,
    /** The cluster has not formed yet. */
    NotFormed,
    /** Members restart for a new version. */
    Upgrading,
    /** Members restart for new files (configuration, unit). */
    Updating,
    /** A CA rotation is under way. */
    RotatingCertificates,
    /** Machines were brought in line with the spec this pass. */
    Provisioning,
    /** Nothing to do. */
    Stable,
    /** Waiting for members to become healthy. */
    Waiting,
    /** A rollout is under way and a quorum serves. */
    RolloutOnTrack,
    /** A restarted member did not serve again within restartDeadlineSeconds. */
    RolloutStalled,
    /** Certificates are renewed before they expire, CAs included. */
    Renewable,
    /** A certificate or CA cannot be renewed in time (the message says which). */
    CaExpiring,
    /** Writes after a quorum recovery's kept revision may be lost. */
    DataLossPossible,

    // Maintenance
    /** A defragmentation round is under way. */
    Defragmenting,
    /** Recovering from etcd's NOSPACE alarm. */
    RecoveringSpace,
    /** NOSPACE came back soon after a recovery: the live data fills the quota. */
    QuotaFull,

    // Backups
    /** The last snapshot was stored. */
    SnapshotStored,
    /** No snapshot was taken yet. */
    NoSnapshotYet,
    /** A scheduled snapshot was not taken. */
    ScheduleMissed,
    /** The last restore drill failed. */
    VerificationFailed,
    /** The object store refused the credentials. */
    CredentialsRejected,
    /** The object store's credentials Secret is missing. */
    CredentialsMissing,
    /** The bucket does not exist. */
    BucketMissing,
    /** The object store does not answer. */
    StoreUnreachable,
    /** The object store answered with an error. */
    StoreError,
    /** The snapshot etcd streamed did not check out. */
    SnapshotCorrupt,

    // Deletion
    /** The deletion policy cannot be applied yet. */
    CleanupBlocked
}
