package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.List;
import java.util.Map;

/** The changes a pass makes on machines; tests substitute a recording fake. */
public interface HostActions {
    /** Provisions the planned machines in parallel, each in its role. */
    List<HostResult> provision(EtcdVmCluster cluster, Map<String, MemberPlan> plans, ObservedCluster observed);

    /** Restarts one member whose files changed under it. */
    HostResult restart(EtcdVmCluster cluster, MemberSpec member);

    /**
     * Takes machines out of service in parallel: stops and disables etcd, and with {@code wipe} removes its
     * data, configuration, certificates, unit and binaries. Idempotent.
     */
    List<HostResult> retire(EtcdVmCluster cluster, List<MemberSpec> machines, boolean wipe);
}
