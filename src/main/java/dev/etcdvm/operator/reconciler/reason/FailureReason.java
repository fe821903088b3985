package dev.etcdvm.operator.reconciler.reason;

/**
 * The fixed set of reasons a pass can fail for. Condition reasons and Event messages come from here,
 * so users can alert on a network problem differently from a key problem.
 */
public enum FailureReason implements Reason {
    // Machines: SSH
    HostUnreachable(true), SshTimeout(true), HostKeyMismatch(false), SshAuthenticationFailed(false),
    InvalidCredentials(false), SudoDenied(false), SshError(true), DuplicateMachine(false),
    // Machines: provisioning
    ProbeFailed(true), PreflightFailed(false), UnsafePath(false), ForeignData(false), DownloadFailed(true), ChecksumMismatch(false),
    CommandFailed(true), NotOwned(false), MachineBusy(true),
    // etcd
    EtcdNotReadyForChange(true), AddLearnerFailed(true), PromoteFailed(true),
    MoveLeaderFailed(true), RemoveFailed(true), MaintenanceFailed(true),
    // Object store
    BackupFailed(true),
    // Kubernetes API
    KubernetesApiError(true),
    // Anything the operator did not expect: a bug, or a library failing in a new way
    InternalError(true);

    private final boolean transientByDefault;

    FailureReason(boolean transientByDefault) {
        this.transientByDefault = transientByDefault;
    }

    /** Whether retrying the same thing later may succeed without anyone changing anything. */
    public boolean transientByDefault() {
        return transientByDefault;
    }
}
