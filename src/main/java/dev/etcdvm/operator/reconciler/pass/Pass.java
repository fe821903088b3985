package dev.etcdvm.operator.reconciler.pass;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.MachineDrift;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.Fitness;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.kube.SpecFence;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconciliation pass knows, built once before anything acts: the resource (its spec
 * validated), the TLS material, the machines' sessions (credentials resolved once), what was observed,
 * the spec paired with etcd's members, each machine's preflight verdict, and the decision. The planner reads it
 * and never recomputes any of it; what the actions did is added as {@link Effects} in a new Pass.
 *
 * @param leaving machines on their way out of the cluster, as observed before anything acted
 * @param fence asked right before a membership change whether the spec is still the one decided on
 * @param drifts how far each machine this pass provisions (answered, passed preflight) is from its plan, worked
 *     out once from the probe: the planner's rules and the status all read it
 */
public record Pass(EtcdVmCluster cluster, Instant now, ClusterTls tls, ClusterHosts hosts, SpecFence fence,
        ObservedCluster observed, MemberMatch match, Fitness fitness, Decision decision, List<MemberStatus> leaving,
        Map<String, MachineDrift> drifts, Effects effects) {

    public Pass {
        leaving = List.copyOf(leaving);
        drifts = Map.copyOf(drifts);
    }

    public Pass(EtcdVmCluster cluster, Instant now, ClusterTls tls, ClusterHosts hosts, SpecFence fence,
            ObservedCluster observed, MemberMatch match, Fitness fitness, Decision decision, List<MemberStatus> leaving,
            Effects effects) {
        this(cluster, now, tls, hosts, fence, observed, match, fitness, decision, leaving,
                drifts(decision, fitness, observed), effects);
    }

    /** How far the member's machine is from its plan (see {@link #drifts}). */
    public Optional<MachineDrift> drift(String member) {
        return Optional.ofNullable(drifts.get(member));
    }

    /** The members whose machines run on files or a binary older than their plans': each is due a restart. */
    public List<String> restartsPending() {
        return decision.provision().keySet().stream()
                .filter(m -> drift(m).map(MachineDrift::restartPending).orElse(false)).toList();
    }

    private static Map<String, MachineDrift> drifts(Decision decision, Fitness fitness, ObservedCluster observed) {
        Map<String, MachineDrift> drifts = new LinkedHashMap<>();
        decision.provision().forEach((member, plan) -> {
            if (fitness.refusal(member).isEmpty()) {
                observed.host(member).flatMap(HostObservation::facts)
                        .ifPresent(f -> drifts.put(member, MachineDrift.of(plan, f)));
            }
        });
        return drifts;
    }

    /**
     * This pass with an action's effects added. When the action saw etcd again after its change (the founders of
     * a new cluster came up), that is what the pass reports: the machines as probed, etcd as it is now.
     */
    public Pass after(Effects more) {
        Effects added = effects.plus(more);
        if (more.etcdSeen().isEmpty()) {
            return new Pass(cluster, now, tls, hosts, fence, observed, match, fitness, decision, leaving, drifts, added);
        }
        EtcdView seen = more.etcdSeen().get();
        return new Pass(cluster, now, tls, hosts, fence, new ObservedCluster(observed.hosts(), seen),
                MemberMatch.of(cluster, seen), fitness, decision, leaving, drifts, added);
    }
}
