package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.failure.Failures;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings the decided machines in line with their plans, in parallel. A machine that failed this pass's
 * preflight is refused here without a session being used. In a bootstrap pass the founders start
 * together, and the next look comes soon, since forming takes about an election timeout.
 */
public final class ProvisionStep implements Step {
    private final HostActions machines;
    private final Failpoints failpoints;

    public ProvisionStep(HostActions machines, Failpoints failpoints) {
        this.machines = machines;
        this.failpoints = failpoints;
    }

    @Override
    public StepOutcome run(Pass pass) {
        Map<String, MemberPlan> fit = new LinkedHashMap<>();
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        List<HostResult> results = new ArrayList<>();
        pass.decision().provision().forEach((name, plan) -> {
            Optional<ProvisionException> refusal = pass.fitness().refusal(name);
            if (refusal.isPresent()) {
                results.add(HostResult.failed(name, Failures.of(refusal.get(), Operation.HOST_PROVISION, name)));
            } else {
                fit.put(name, plan);
                facts.put(name, pass.observed().host(name).flatMap(HostObservation::facts).orElseThrow());
            }
        });
        if (!fit.isEmpty()) {
            List<String> currentMembers = pass.observed().etcd().members().stream().map(EtcdMemberView::id).toList();
            results.addAll(machines.provision(pass.hosts(), fit, facts, currentMembers));
        }
        if (startedJoiner(pass.decision(), results)) {
            failpoints.reached(Failpoints.Point.AFTER_JOINER_START);
        }
        Effects effects = Effects.ofHosts(results);
        if (pass.decision().mode() == Decision.Mode.BOOTSTRAP) {
            // The founders are starting: look again soon to see them form the cluster, unless a machine failed.
            return StepOutcome.next(effects.waiting());
        }
        return StepOutcome.next(effects);
    }

    private static boolean startedJoiner(Decision decision, List<HostResult> results) {
        return results.stream().filter(r -> r.outcome().map(HostOutcome::started).orElse(false))
                .anyMatch(r -> decision.provision().get(r.member()).role() == MemberRole.JOINER);
    }
}
