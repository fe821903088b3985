package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.QuorumRestore;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import java.util.List;
import java.util.Map;

/** The changes a pass makes on machines, through the pass's sessions; tests substitute a fake that can fail. */
public interface HostActions {
    /**
     * Provisions the planned machines in parallel, each in its role, from what the probe found there.
     *
     * @param currentMembers ids (hex) etcd lists now: their data is never archived
     */
    List<HostResult> provision(ClusterHosts hosts, Map<String, MemberPlan> plans, Map<String, HostFacts> facts,
            List<String> currentMembers);

    /**
     * Restarts one member whose files changed under it, on its plan's binary, if its machine carries this
     * cluster's marker.
     *
     * @param facts what this pass's probe found on the machine
     */
    HostResult restart(ClusterHosts hosts, MemberPlan plan, HostFacts facts);

    /**
     * Takes machines out of service in parallel: stops and disables etcd, and with {@code wipe} removes its
     * data, configuration, certificates, unit and binaries, each only if the machine proves to be this
     * cluster's (a failure with reason NotOwned says it did not, and nothing was touched). Idempotent.
     */
    List<HostResult> retire(ClusterHosts hosts, String clusterUid, List<Retiree> machines, boolean wipe);

    /**
     * Recovers a lost quorum on the seed's machine, alone, if it proves to be this cluster's and to hold the chosen
     * member's data (a failure with reason NotOwned says it did not, and nothing was touched). Idempotent.
     */
    HostResult recover(ClusterHosts hosts, MemberPlan seed, QuorumRestore restore);

    /**
     * Writes the identity of a running member's data into its data dir, if the machine proves to be this cluster's
     * and to record that member (a failure with reason NotOwned says it did not, and nothing was touched).
     */
    HostResult markData(ClusterHosts hosts, MemberPlan plan, String memberId, String dataId);

    /**
     * A restore drill on the member's machine: the snapshot streamed there, read by the plan's version of the
     * tool and restored into a scratch directory beside the member, which it never touches.
     */
    DrillResult checkSnapshot(ClusterHosts hosts, MemberPlan plan, SnapshotRestore snapshot);
}
