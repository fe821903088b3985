package dev.etcdvm.operator.reconciler.events;

/** The fixed set of Event reasons the operator emits, so users can filter and alert on them. */
public enum EventReason {
    SpecInvalid(EventType.Warning),
    SpecAccepted(EventType.Normal),
    HostsUnreachable(EventType.Warning),
    HostsReachable(EventType.Normal),
    PhaseChanged(EventType.Normal),
    MembershipChanged(EventType.Normal),
    MembershipChangeRefused(EventType.Warning),
    MembershipChangeFailed(EventType.Warning),
    MemberRetired(EventType.Normal),
    /** A planned restart of one member, in a rollout. */
    MemberRestarted(EventType.Normal),
    /** Leadership handed to a follower before the leader's planned restart. */
    LeadershipMoved(EventType.Normal),
    /** A CA rotation moved to its next phase (the message says which of the three), or completed. */
    CaRotationPhase(EventType.Normal),
    CaRotationCompleted(EventType.Normal),
    /** Leaf certificates were issued again for their keys (which, and why, in the message); no restart follows. */
    CertificatesRenewed(EventType.Normal),
    /** A snapshot was stored (and older ones pruned per the retention policy). */
    BackupTaken(EventType.Normal),
    /** A snapshot could not be taken or stored, or pruning failed; the message says what to fix. */
    BackupFailed(EventType.Warning),
    /** A restore drill passed: the newest snapshot read and restored on a member's machine. */
    BackupVerified(EventType.Normal),
    /** A restore drill failed: the newest snapshot is unreadable, corrupt, or does not restore. */
    BackupVerificationFailed(EventType.Warning),
    /** The cluster formed from a snapshot (spec.bootstrap.fromSnapshot), with a new cluster id. */
    RestoredFromSnapshot(EventType.Normal),
    /** One member's database was defragmented (sizes before and after in the message). */
    Defragmented(EventType.Normal),
    /** The key history was compacted, to recover from etcd's NOSPACE alarm. */
    Compacted(EventType.Normal),
    /** etcd's NOSPACE alarm was disarmed once every member was defragmented. */
    AlarmDisarmed(EventType.Normal),
    /** A defragmentation round (fragmented, scheduled or NOSPACE) went through every member. */
    MaintenanceCompleted(EventType.Normal),
    /** A compaction, defragmentation or disarm failed; it is tried again. */
    MaintenanceFailed(EventType.Warning),
    /** A machine a destructive action was meant for proved not to be this cluster's: it was left untouched. */
    MachineNotOwned(EventType.Warning),
    Paused(EventType.Normal),
    /** Something unsafe was seen (another cluster's id, lost data): every change waits for a person. */
    ChangesFrozen(EventType.Warning),
    /** A quorum-loss recovery was chosen with the recover-quorum annotation and recorded; it is carried out next. */
    QuorumRecoveryStarted(EventType.Normal),
    /** The recovery's seed leads a new cluster; the other members are added back as learners. */
    QuorumRecovered(EventType.Normal),
    /** A recover-quorum choice cannot be carried out; the message says why. Nothing was done. */
    QuorumRecoveryRefused(EventType.Warning),
    /** The user accepted a data loss with the annotation; the cluster goes on with what is left. */
    DataLossAccepted(EventType.Normal),
    CleanupBlocked(EventType.Warning),
    /** Deletion did not touch the machines: the spec was invalid, so nothing it names can be trusted. */
    CleanupSkipped(EventType.Warning),
    CleanedUp(EventType.Normal);

    public enum EventType { Normal, Warning }

    private final EventType type;

    EventReason(EventType type) {
        this.type = type;
    }

    public EventType type() {
        return type;
    }
}
