package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import dev.etcdvm.operator.reconciler.plan.Unmet;

/** Carries out one kind of action exactly as planned; it never decides anything the plan did not say. */
public interface Executor<A extends Action> {
    Class<A> handles();

    Report execute(A action, Target target);

    /** What is recorded when a precondition no longer held and the action was not carried out. */
    default Report notNow(A action, Unmet unmet) {
        return new Report(new Outcome.Waiting(unmet.reason(), unmet.message()), Effects.NONE);
    }
}
