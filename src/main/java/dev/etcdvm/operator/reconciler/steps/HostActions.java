package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.List;
import java.util.Map;

/** The changes a pass makes on machines; tests substitute a recording fake. */
public interface HostActions {
    /** Provisions the named members' machines in parallel. */
    List<HostResult> provision(EtcdVmCluster cluster, List<String> members, Map<String, MemberPlan> plans,
            ObservedCluster observed);

    /** Restarts one member whose files changed under it. */
    HostResult restart(EtcdVmCluster cluster, MemberSpec member);
}
