package dev.etcdvm.operator.reconciler.kube;

/**
 * Checks, right before a membership change, that the spec the pass decided on is still the spec: a pass
 * that waited on a dead machine may be seconds old, and removing a member the user just put back is
 * not undone by the next pass.
 */
@FunctionalInterface
public interface SpecFence {
    /** Whether the stored resource's generation moved on; may throw when the API server cannot be asked. */
    boolean specChanged();
}
