package dev.etcdvm.operator.etcd;

/**
 * A failed etcd call. The message names the operation ("etcd.memberList") and the endpoint (or the
 * cluster's endpoint list), and never holds key material: it is built from gRPC status text only.
 */
public class EtcdException extends RuntimeException {
    private final String operation;
    private final String endpoint;

    public EtcdException(String operation, String endpoint, String reason, Throwable cause) {
        super(operation + " on " + endpoint + " failed: " + reason, cause);
        this.operation = operation;
        this.endpoint = endpoint;
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
