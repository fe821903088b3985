package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Provisions the planned machines in parallel, each in its planned role. */
public final class ProvisionExecutor implements Executor<Action.Provision> {
    private final HostActions machines;
    private final Failpoints failpoints;

    public ProvisionExecutor(HostActions machines, Failpoints failpoints) {
        this.machines = machines;
        this.failpoints = failpoints;
    }

    @Override
    public Class<Action.Provision> handles() {
        return Action.Provision.class;
    }

    @Override
    public Report execute(Action.Provision action, Target target) {
        Map<String, MemberPlan> plans = new LinkedHashMap<>();
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        action.machines().forEach(m -> {
            plans.put(m.plan().member().getName(), m.plan());
            facts.put(m.plan().member().getName(), m.facts());
        });
        List<HostResult> results = machines.provision(target.hosts(), plans, facts, action.currentMembers());
        if (results.stream().anyMatch(r -> r.outcome().map(HostOutcome::started).orElse(false)
                && plans.get(r.member()).role() == MemberRole.JOINER)) {
            failpoints.reached(Failpoints.Point.AFTER_JOINER_START);
        }
        return new Report(Outcome.of(results, "provisioned " + String.join(", ", plans.keySet())),
                Effects.ofHosts(results));
    }
}
