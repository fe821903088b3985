package dev.etcdvm.operator.reconciler.reason;

/**
 * Every reason a condition, an action's outcome or a metric can give, from two fixed sets: {@link FailureReason}
 * (something failed, retried or not) and {@link ConditionReason} (a state, or why something waits). A reason is
 * never a free string literal elsewhere (ReasonLiteralsTest); Event reasons are their own set (EventReason).
 */
public sealed interface Reason permits FailureReason, ConditionReason {
    /** The reason as written into a condition. */
    String name();
}
