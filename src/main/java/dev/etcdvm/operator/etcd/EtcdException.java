package dev.etcdvm.operator.etcd;

/**
 * A failed etcd call. The message names the operation ("etcd.memberList") and the endpoint (or the
 * cluster's endpoint list), and never holds key material: it is built from gRPC status text only.
 */
public class EtcdException extends RuntimeException {
    private final String operation;
    private final String endpoint;
    private final boolean notYet;

    public EtcdException(String operation, String endpoint, String reason, Throwable cause) {
        super(operation + " on " + endpoint + " failed: " + reason, cause);
        this.operation = operation;
        this.endpoint = endpoint;
        this.notYet = cause != null && Failures.notYet(cause);
    }

    /** etcd refused for now and will accept the same request shortly; see {@link Failures#notYet}. */
    public boolean notYet() {
        return notYet;
    }

    /** What was attempted, e.g. "etcd.memberAdd". */
    public String operation() {
        return operation;
    }

    /** The endpoint asked, or a comma-separated list for cluster-wide calls. */
    public String endpoint() {
        return endpoint;
    }
}
