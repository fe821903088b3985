package dev.etcdvm.operator.reconciler.pass;

/**
 * Named points right after each step of a membership change. Production passes {@link #NONE}; crash
 * tests kill the operator at one of them and prove a fresh operator converges from what the machines,
 * etcd and status hold.
 */
@FunctionalInterface
public interface Failpoints {
    enum Point {
        /** Before a pass does anything: where a killed operator's stray retries are stopped. */
        PASS_START,
        AFTER_MEMBER_ADD, AFTER_JOINER_START, AFTER_PROMOTE, AFTER_MEMBER_REMOVE,
        /** A member of a rolling restart was restarted: the next pass must go on from what the machines say. */
        AFTER_RESTART,
        /** A CA rotation moved to its next phase in the Secrets, before any machine was told. */
        AFTER_CA_PHASE
    }

    Failpoints NONE = point -> { };

    /** Thrown by a failpoint to end the pass where it is, as if the process died: nothing records it. */
    class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Stop(String message) {
            super(message, null, false, false);
        }
    }

    void reached(Point point);
}
