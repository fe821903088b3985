package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.pass.Effects;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pass will do, as data: the actions in order, and what the planner already knows it will report without
 * acting (a change held back, a machine refused by preflight, a round of maintenance waiting).
 *
 * @param facts one line of the facts the plan was made from
 */
public record Plan(Decision.Mode mode, String facts, List<Action> actions, Effects planned) {

    public Plan {
        actions = List.copyOf(actions);
    }

    /** The plan printed, one line each: its facts, then its actions numbered. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("plan " + mode + " from: " + facts);
        for (int i = 0; i < actions.size(); i++) {
            lines.add("  " + (i + 1) + ". " + actions.get(i).line());
        }
        if (actions.isEmpty()) {
            lines.add("  (nothing to do)");
        }
        return lines;
    }
}
