package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.Preflight;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Decides what a pass may do from what it observed. Pure: no I/O, so every branch is unit tested. */
public final class ClusterPlanner {
    private ClusterPlanner() {
    }

    public static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, Map<String, MemberPlan> plans) {
        Optional<String> recorded = Optional.ofNullable(cluster.getStatus()).map(s -> s.getClusterId());
        Optional<String> answered = observed.etcd().clusterId();
        if (!observed.etcd().foreignClusterIds().isEmpty()) {
            return Decision.freeze("ClusterIdMismatch", "members answer with different cluster ids "
                    + observed.etcd().foreignClusterIds() + "; all changes are frozen");
        }
        if (recorded.isPresent() && answered.isPresent() && !recorded.equals(answered)) {
            return Decision.freeze("ClusterIdMismatch", "etcd answers with cluster id " + answered.get()
                    + " but this resource formed cluster " + recorded.get() + "; all changes are frozen");
        }
        boolean formed = recorded.isPresent() || answered.isPresent();
        return formed ? converge(cluster, observed) : bootstrap(cluster, observed, plans);
    }

    /** A new cluster forms only when every machine is reachable and fit: all members start together. */
    private static Decision bootstrap(EtcdVmCluster cluster, ObservedCluster observed, Map<String, MemberPlan> plans) {
        List<HostObservation> unreachable = observed.unreachable();
        if (!unreachable.isEmpty()) {
            return Decision.waitFor(unreachable.get(0).failure().get().reason(), "forming the cluster waits for "
                    + unreachable.stream().map(HostObservation::member).collect(Collectors.joining(", ")));
        }
        List<String> refusals = new ArrayList<>();
        String reason = null;
        for (MemberSpec member : cluster.getSpec().getMembers()) {
            HostFacts facts = observed.host(member.getName()).flatMap(HostObservation::facts).orElseThrow();
            try {
                Preflight.check(plans.get(member.getName()), facts);
            } catch (ProvisionException e) {
                reason = reason == null ? e.reason().name() : reason;
                refusals.add(member.getName() + ": " + e.getMessage());
            }
        }
        if (!refusals.isEmpty()) {
            return Decision.waitFor(reason, String.join("; ", refusals));
        }
        return new Decision(Decision.Mode.BOOTSTRAP, "new", names(cluster.getSpec().getMembers()), "Bootstrapping",
                "forming a new cluster of " + cluster.getSpec().getMembers().size());
    }

    /**
     * Keeps existing members' machines in shape. A machine whose member data is gone is left for
     * membership management: starting it as is would make it try to form a cluster of its own.
     */
    private static Decision converge(EtcdVmCluster cluster, ObservedCluster observed) {
        List<String> provision = new ArrayList<>();
        for (MemberSpec member : cluster.getSpec().getMembers()) {
            observed.host(member.getName()).flatMap(HostObservation::facts)
                    .filter(HostFacts::hasMemberData)
                    .ifPresent(f -> provision.add(member.getName()));
        }
        return new Decision(Decision.Mode.CONVERGE, "existing", provision, "Converging", "keeping members in shape");
    }

    private static List<String> names(List<MemberSpec> members) {
        return members.stream().map(MemberSpec::getName).toList();
    }
}
