package dev.etcdvm.operator.reconciler.pass;

/** One action of a pass. Idempotent: it reads the pass and acts only where the world differs from the plan. */
public interface Step {
    StepOutcome run(Pass pass);
}
