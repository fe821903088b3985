package dev.etcdvm.operator.etcd;

import io.grpc.Status;
import java.io.IOException;
import java.util.List;

/** Turns gRPC failures into short, key-free reasons, and says which ones mean "not reached". */
final class Failures {
    private Failures() {
    }

    /**
     * etcd's answers meaning "not yet": it refuses MemberAdd until every member has been active for five
     * seconds ("unhealthy cluster"), promotion until the learner has caught up, and a second learner
     * while one is pending. Each passes within seconds, so the caller retries soon instead of backing off.
     */
    private static final List<String> NOT_YET = List.of("unhealthy cluster", "in sync with leader",
            "too many learner members");

    static boolean notYet(Throwable failure) {
        String description = Status.fromThrowable(failure).getDescription();
        return description != null && NOT_YET.stream().anyMatch(description::contains);
    }

    /** e.g. "unreachable: UNAVAILABLE: io exception (Connection refused: /127.0.0.1:2379)". */
    static String describe(Throwable failure) {
        return unreachable(failure) ? "unreachable: " + status(failure) : status(failure);
    }

    private static String status(Throwable failure) {
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
        Status status = Status.fromThrowable(failure);
        return switch (status.getCode()) {
            case UNAVAILABLE -> !fromEtcd(status);
            // A connection that dies under a call surfaces as UNKNOWN "channel closed" with an I/O cause.
            case UNKNOWN -> status.getCause() instanceof IOException;
            default -> false;
        };
    }

    /**
     * etcd answers some refusals with UNAVAILABLE too, e.g. "etcdserver: unhealthy cluster" when a member
     * change would follow a restart too closely. Those are answers: retrying elsewhere would not help.
     */
    private static boolean fromEtcd(Status status) {
        return status.getDescription() != null && status.getDescription().startsWith("etcdserver:");
    }

    static boolean timedOut(Throwable failure) {
        return Status.fromThrowable(failure).getCode() == Status.Code.DEADLINE_EXCEEDED;
    }
}
