package dev.etcdvm.operator.reconciler.observe;

import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.ssh.HostAccessException;

/** One condition reason per failure kind, so alerts can tell a network problem from a key problem. */
public final class HostFailures {
    private HostFailures() {
    }

    public static HostFailure of(HostAccessException e) {
        String reason = switch (e.kind()) {
            case Unreachable -> "HostUnreachable";
            case Timeout -> "SshTimeout";
            case HostKeyRejected -> "HostKeyMismatch";
            case AuthenticationFailed -> "SshAuthenticationFailed";
            case InvalidCredentials -> "InvalidCredentials";
            case SudoDenied -> "SudoDenied";
            case Protocol -> "SshError";
        };
        return new HostFailure(reason, e.getMessage());
    }

    public static HostFailure of(ProvisionException e) {
        return new HostFailure(e.reason().name(), e.getMessage());
    }
}
