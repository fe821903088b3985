package dev.etcdvm.operator.reconciler.failure;

import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.ssh.HostAccessException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Classifies the lower layers' exceptions into {@link Failure}s; the one place that knows their kinds. */
public final class Failures {
    private Failures() {
    }

    public static Failure of(HostAccessException e, Operation operation, String member) {
        FailureReason reason = switch (e.kind()) {
            case Unreachable -> FailureReason.HostUnreachable;
            case Timeout -> FailureReason.SshTimeout;
            case HostKeyRejected -> FailureReason.HostKeyMismatch;
            case AuthenticationFailed -> FailureReason.SshAuthenticationFailed;
            case InvalidCredentials -> FailureReason.InvalidCredentials;
            case SudoDenied -> FailureReason.SudoDenied;
            case Protocol -> FailureReason.SshError;
        };
        return Failure.of(operation, reason, member, e.getMessage());
    }

    /** Whatever escaped a pass: the API server failing, or something nobody expected. */
    public static Failure unexpected(RuntimeException e) {
        if (e instanceof KubernetesClientException k) {
            return Failure.of(Operation.KUBE_API, FailureReason.KubernetesApiError, null,
                    "the Kubernetes API failed" + (k.getCode() > 0 ? " (HTTP " + k.getCode() + ")" : "") + ": "
                            + k.getMessage());
        }
        return Failure.of(Operation.RECONCILE, FailureReason.InternalError, null,
                e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    public static Failure of(ProvisionException e, Operation operation, String member) {
        FailureReason reason = switch (e.reason()) {
            case PreflightFailed -> FailureReason.PreflightFailed;
            case UnsafePath -> FailureReason.UnsafePath;
            case ForeignData -> FailureReason.ForeignData;
            case DownloadFailed -> FailureReason.DownloadFailed;
            case ChecksumMismatch -> FailureReason.ChecksumMismatch;
            case CommandFailed -> FailureReason.CommandFailed;
            case NotOwned -> FailureReason.NotOwned;
            case MachineBusy -> FailureReason.MachineBusy;
        };
        return Failure.of(operation, reason, member, e.getMessage());
    }
}
