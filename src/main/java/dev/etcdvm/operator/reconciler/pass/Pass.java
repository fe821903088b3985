package dev.etcdvm.operator.reconciler.pass;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.MachineDrift;
import dev.etcdvm.operator.provision.MemberPlan;
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
import java.util.List;
import java.util.Optional;

/**
 * Everything one reconciliation pass knows, built once before anything acts: the resource (its spec
 * validated), the TLS material, the machines' sessions (credentials resolved once), what was observed,
 * the spec paired with etcd's members, each machine's preflight verdict, and the decision. The planner reads it
 * and never recomputes any of it; what the actions did is added as {@link Effects} in a new Pass.
 *
 * @param leaving machines on their way out of the cluster, as observed before anything acted
 * @param fence asked right before a membership change whether the spec is still the one decided on
 */
public record Pass(EtcdVmCluster cluster, Instant now, ClusterTls tls, ClusterHosts hosts, SpecFence fence,
        ObservedCluster observed, MemberMatch match, Fitness fitness, Decision decision, List<MemberStatus> leaving,
        Effects effects) {

    public Pass {
        leaving = List.copyOf(leaving);
    }

    /**
     * How far the member's machine is from its plan, for a member this pass provisions whose machine answered and
     * passed preflight.
     */
    public Optional<MachineDrift> drift(String member) {
        MemberPlan plan = decision.provision().get(member);
        if (plan == null || fitness.refusal(member).isPresent()) {
            return Optional.empty();
        }
        return observed.host(member).flatMap(HostObservation::facts).map(f -> MachineDrift.of(plan, f));
    }

    /** The members whose machines run on files or a binary older than their plans': each is due a restart. */
    public List<String> restartsPending() {
        return decision.provision().keySet().stream()
                .filter(m -> drift(m).map(MachineDrift::restartPending).orElse(false)).toList();
    }

    /**
     * This pass with an action's effects added. When the action saw etcd again after its change (the founders of
     * a new cluster came up), that is what the pass reports: the machines as probed, etcd as it is now.
     */
    public Pass after(Effects more) {
        Effects added = effects.plus(more);
        if (more.etcdSeen().isEmpty()) {
            return new Pass(cluster, now, tls, hosts, fence, observed, match, fitness, decision, leaving, added);
        }
        EtcdView seen = more.etcdSeen().get();
        return new Pass(cluster, now, tls, hosts, fence, new ObservedCluster(observed.hosts(), seen),
                MemberMatch.of(cluster, seen), fitness, decision, leaving, added);
    }
}
