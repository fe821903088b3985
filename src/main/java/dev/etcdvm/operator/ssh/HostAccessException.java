package dev.etcdvm.operator.ssh;

/** A failure talking to a machine, classified so callers can map it to a condition and a retry. */
public class HostAccessException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong; each maps to one condition reason. */
    public enum Kind {
        /** TCP connect refused, no route, DNS failure. */
        Unreachable,
        /** The handshake, login or a command did not finish in time. */
        Timeout,
        /** The host key is not the expected one (or no expected one exists under Strict). */
        HostKeyRejected,
        /** The server refused our private key. */
        AuthenticationFailed,
        /** A key or known_hosts Secret is missing or unusable. */
        InvalidCredentials,
        /** The user may not run commands through sudo without a password. */
        SudoDenied,
        /** Anything else in the SSH protocol. */
        Protocol
    }

    private final Kind kind;

    public HostAccessException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HostAccessException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
