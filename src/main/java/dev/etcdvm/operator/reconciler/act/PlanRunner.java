package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Plan;
import dev.etcdvm.operator.reconciler.plan.Preconditions;
import dev.etcdvm.operator.reconciler.plan.Unmet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan: what it reports without acting first, then each action in order, each only if its preconditions
 * still hold (else the executor records why not and the next pass plans again). The plan and each outcome are
 * logged at DEBUG, one line each.
 */
public final class PlanRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);
    private final Map<Class<?>, Executor<?>> executors = new LinkedHashMap<>();

    public PlanRunner(List<Executor<?>> executors) {
        executors.forEach(e -> this.executors.put(e.handles(), e));
    }

    public Pass run(Pass pass, Plan plan) {
        if (LOG.isDebugEnabled()) {
            plan.lines().forEach(line -> LOG.debug("{}", line));
        }
        Pass now = pass.after(plan.planned());
        for (Action action : plan.actions()) {
            Report report = carryOut(action, now);
            LOG.debug("{} -> {}", action.describe(), report.outcome().line());
            now = now.after(report.effects());
        }
        return now;
    }

    private <A extends Action> Report carryOut(A action, Pass pass) {
        @SuppressWarnings("unchecked") // registered by the action type it handles
        Executor<A> executor = (Executor<A>) executors.get(action.getClass());
        if (executor == null) {
            throw new IllegalStateException("no executor for " + action.getClass().getSimpleName());
        }
        Optional<Unmet> unmet = Preconditions.firstUnmet(action, pass);
        return unmet.isPresent() ? executor.notNow(action, unmet.get()) : executor.execute(action, Target.of(pass));
    }
}
