package dev.etcdvm.operator.reconciler.pass;

/** What a step's result says about when to look again. */
public enum Pace {
    /** Nothing happened that asks for an early look. */
    STEADY,
    /** Something changed: look again soon to see its effect. */
    SOON,
    /** Work under way waits on the cluster (a learner catching up): look again soon unless a step failed. */
    WAITING,
    /** Something failed: retry with a growing delay, not in a tight loop. */
    PROBLEM
}
