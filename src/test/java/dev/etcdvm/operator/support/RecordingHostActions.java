package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.steps.HostActions;
import dev.etcdvm.operator.reconciler.steps.HostResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Records which clusters' machines would have been changed, and pretends nothing needed changing. */
public final class RecordingHostActions implements HostActions {
    private final Set<String> actedOn = ConcurrentHashMap.newKeySet();

    @Override
    public List<HostResult> provision(EtcdVmCluster cluster, Map<String, MemberPlan> plans, ObservedCluster observed) {
        if (!plans.isEmpty()) {
            actedOn.add(cluster.getMetadata().getName());
        }
        return plans.keySet().stream().map(m -> HostResult.done(m, new HostOutcome(List.of(), false, false, false))).toList();
    }

    @Override
    public List<HostResult> retire(EtcdVmCluster cluster, List<MemberSpec> machines, boolean wipe) {
        if (!machines.isEmpty()) {
            actedOn.add(cluster.getMetadata().getName());
        }
        return machines.stream().map(m -> HostResult.done(m.getName(), new HostOutcome(List.of(), false, false, false))).toList();
    }

    @Override
    public HostResult restart(EtcdVmCluster cluster, MemberSpec member) {
        actedOn.add(cluster.getMetadata().getName());
        return HostResult.done(member.getName(), new HostOutcome(List.of(), false, true, false));
    }

    public boolean touched(String clusterName) {
        return actedOn.contains(clusterName);
    }
}
