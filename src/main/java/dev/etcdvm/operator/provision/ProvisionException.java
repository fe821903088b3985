package dev.etcdvm.operator.provision;

/** A machine that cannot be brought to its desired state; the reason becomes a condition reason. */
public class ProvisionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why provisioning stopped; each maps to one condition reason. */
    public enum Reason {
        PreflightFailed,
        /** The data or install directory, as the machine resolves it, is not one the operator may own. */
        UnsafePath, ForeignData, DownloadFailed, ChecksumMismatch, CommandFailed,
        /** A destructive script found the machine is not (or no longer) this cluster's, or holds a current member. */
        NotOwned,
        /** Another actor (a pass, another operator) held the machine's lock for longer than a script waits. */
        MachineBusy
    }

    private final Reason reason;

    public ProvisionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
