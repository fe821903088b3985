package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.reconciler.pass.Effects;
import java.util.ArrayList;
import java.util.List;

/** A plan while the rules add to it. */
public final class PlanDraft {
    private final List<Action> actions = new ArrayList<>();
    private Effects planned = Effects.NONE;
    private boolean closed;

    public PlanDraft add(Action action) {
        actions.add(action);
        return this;
    }

    /** What the pass will report without acting. */
    public PlanDraft report(Effects effects) {
        planned = planned.plus(effects);
        return this;
    }

    /** Nothing after this rule may add to the plan (a bootstrap, a quorum recovery). */
    public void close() {
        closed = true;
    }

    public boolean closed() {
        return closed;
    }

    public List<Action> actions() {
        return List.copyOf(actions);
    }

    public Effects planned() {
        return planned;
    }
}
