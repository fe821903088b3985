package dev.etcdvm.operator.reconciler.pass;

/**
 * What one step did and whether the pass goes on: a step ends the pass when nothing after it may run
 * (a decision that forbids acting, a bootstrap that must settle first).
 */
public record StepOutcome(Effects effects, boolean endsPass) {

    public static StepOutcome next(Effects effects) {
        return new StepOutcome(effects, false);
    }

    public static StepOutcome nothingToDo() {
        return new StepOutcome(Effects.NONE, false);
    }

    public static StepOutcome endPass(Effects effects) {
        return new StepOutcome(effects, true);
    }
}
