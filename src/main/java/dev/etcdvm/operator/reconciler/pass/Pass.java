package dev.etcdvm.operator.reconciler.pass;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.Fitness;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.kube.SpecFence;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Instant;
import java.util.List;

/**
 * Everything one reconciliation pass knows, built once before any step runs: the resource (its spec
 * validated), the TLS material, the machines' sessions (credentials resolved once), what was observed,
 * the spec paired with etcd's members, each machine's preflight verdict, and the decision. Steps read it
 * and never recompute any of it; what they did is added as {@link Effects} in a new Pass.
 *
 * @param leaving machines on their way out of the cluster, as observed before any step ran
 * @param fence asked right before a membership change whether the spec is still the one decided on
 */
public record Pass(EtcdVmCluster cluster, Instant now, ClusterTls tls, ClusterHosts hosts, SpecFence fence,
        ObservedCluster observed, MemberMatch match, Fitness fitness, Decision decision, List<MemberStatus> leaving,
        Effects effects) {

    public Pass {
        leaving = List.copyOf(leaving);
    }

    /**
     * This pass with a step's effects added. When the step saw etcd again after its change (the founders of
     * a new cluster came up), that is what the pass reports: the machines as probed, etcd as it is now.
     */
    public Pass after(StepOutcome outcome) {
        Effects added = effects.plus(outcome.effects());
        if (outcome.effects().etcdSeen().isEmpty()) {
            return new Pass(cluster, now, tls, hosts, fence, observed, match, fitness, decision, leaving, added);
        }
        EtcdView seen = outcome.effects().etcdSeen().get();
        return new Pass(cluster, now, tls, hosts, fence, new ObservedCluster(observed.hosts(), seen),
                MemberMatch.of(cluster, seen), fitness, decision, leaving, added);
    }

    /** Runs the steps in order until one ends the pass. */
    public Pass run(List<Step> steps) {
        Pass pass = this;
        for (Step step : steps) {
            StepOutcome outcome = step.run(pass);
            pass = pass.after(outcome);
            if (outcome.endsPass()) {
                break;
            }
        }
        return pass;
    }
}
