package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;

/** A pass whose decision forbids acting (frozen, paused, waiting for machines) ends here, before any change. */
public final class ActGate implements Step {
    @Override
    public StepOutcome run(Pass pass) {
        return pass.decision().mode().acts() ? StepOutcome.nothingToDo() : StepOutcome.endPass(Effects.NONE);
    }
}
