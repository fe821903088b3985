package dev.etcdvm.operator.reconciler;

/**
 * Named points right after each step of a membership change. Production passes {@link #NONE}; crash
 * tests kill the operator at one of them and prove a fresh operator converges from what the machines,
 * etcd and status hold.
 */
@FunctionalInterface
public interface Failpoints {
    enum Point { AFTER_MEMBER_ADD, AFTER_JOINER_START, AFTER_PROMOTE, AFTER_MEMBER_REMOVE }

    Failpoints NONE = point -> { };

    void reached(Point point);
}
