package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.Preflight;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The preflight verdict of every probed machine, checked once per pass: the planner, the join rule and
 * provisioning all read it. A machine missing here could not be probed.
 */
public record Fitness(Map<String, Optional<ProvisionException>> verdicts) {

    public static Fitness of(Map<String, MemberPlan> plans, ObservedCluster observed) {
        Map<String, Optional<ProvisionException>> verdicts = new HashMap<>();
        plans.forEach((name, plan) -> observed.host(name).flatMap(HostObservation::facts)
                .ifPresent(facts -> verdicts.put(name, check(plan, facts))));
        return new Fitness(Map.copyOf(verdicts));
    }

    private static Optional<ProvisionException> check(MemberPlan plan, HostFacts facts) {
        try {
            Preflight.check(plan, facts);
            return Optional.empty();
        } catch (ProvisionException e) {
            return Optional.of(e);
        }
    }

    /** Probed and passed preflight. */
    public boolean fit(String member) {
        return verdicts.containsKey(member) && verdicts.get(member).isEmpty();
    }

    /** Why a probed machine must not run this member; empty when it passed or was not probed. */
    public Optional<ProvisionException> refusal(String member) {
        return verdicts.getOrDefault(member, Optional.empty());
    }
}
