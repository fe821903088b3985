package dev.etcdvm.operator.etcd;

import io.grpc.Status;

/** Turns gRPC failures into short, key-free reasons, and says which ones mean "not reached". */
final class Failures {
    private Failures() {
    }

    /** e.g. "UNAVAILABLE: io exception (Connection refused: /127.0.0.1:2379)". */
    static String describe(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = status.getCode() == Status.Code.UNKNOWN && status.getDescription() == null
                ? root.getClass().getSimpleName()
                : status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        String rootMessage = root == failure ? null : root.getMessage();
        if (rootMessage != null && !reason.contains(rootMessage)) {
            reason += " (" + rootMessage + ")";
        }
        return reason;
    }

    /**
     * The member could not be reached (as opposed to: it answered with an error). The channel may now sit
     * in gRPC's reconnect backoff (up to two minutes), so the caller drops it and dials afresh next time;
     * a cluster-wide call may move on to another member.
     */
    static boolean unreachable(Throwable failure) {
        return Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE;
    }

    static boolean timedOut(Throwable failure) {
        return Status.fromThrowable(failure).getCode() == Status.Code.DEADLINE_EXCEEDED;
    }
}
