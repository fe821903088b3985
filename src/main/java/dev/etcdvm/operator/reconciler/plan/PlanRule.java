package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.reconciler.pass.Pass;

/** One rule of the planner: adds its actions (or what it holds back) to the plan, reading only the pass's facts. */
public interface PlanRule {
    void add(Pass pass, PlanDraft plan);
}
