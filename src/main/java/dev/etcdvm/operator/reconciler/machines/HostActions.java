package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.provision.MemberPlan;
import java.util.List;
import java.util.Map;

/** The changes a pass makes on machines, through the pass's sessions; tests substitute a fake that can fail. */
public interface HostActions {
    /** Provisions the planned machines in parallel, each in its role, from what the probe found there. */
    List<HostResult> provision(ClusterHosts hosts, Map<String, MemberPlan> plans, Map<String, HostFacts> facts);

    /** Restarts one member whose files changed under it. */
    HostResult restart(ClusterHosts hosts, MemberSpec member);

    /**
     * Takes machines out of service in parallel: stops and disables etcd, and with {@code wipe} removes its
     * data, configuration, certificates, unit and binaries. Idempotent.
     */
    List<HostResult> retire(ClusterHosts hosts, HostLayout layout, List<MemberSpec> machines, boolean wipe);
}
