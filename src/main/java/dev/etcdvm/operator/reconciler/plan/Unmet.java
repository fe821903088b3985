package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.reconciler.reason.Reason;
/** A precondition that no longer held when its action was about to run, and why. */
public record Unmet(Precondition precondition, Reason reason, String message) {
}
