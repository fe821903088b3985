package dev.etcdvm.operator.support;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.QuorumRestore;
import dev.etcdvm.operator.provision.SnapshotCheck;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.machines.DrillResult;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.machines.Retiree;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Machines for decision-logic tests: records whose machines would have been changed and what was
 * asked, and fails on demand per member (connect refused, a command failing) like the real ones do.
 */
public final class FakeMachines implements HostActions {
    private final Set<String> actedOn = ConcurrentHashMap.newKeySet();
    private final Map<String, Failure> failing = new ConcurrentHashMap<>();
    private final Map<String, HostOutcome> outcomes = new ConcurrentHashMap<>();
    private final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Every later action on this member fails with {@code failure}. */
    public FakeMachines failing(String member, Failure failure) {
        failing.put(member, failure);
        return this;
    }

    /** Every later action of this kind ("provision", "restart", "retire", "wipe", "recover", "mark", "drill") on it fails. */
    public FakeMachines failingOn(String call, String member, Failure failure) {
        failing.put(call + " " + member, failure);
        return this;
    }

    /** Provisioning this member reports {@code outcome} (default: nothing needed changing). */
    public FakeMachines provisioning(String member, HostOutcome outcome) {
        outcomes.put(member, outcome);
        return this;
    }

    @Override
    public List<HostResult> provision(ClusterHosts hosts, Map<String, MemberPlan> plans, Map<String, HostFacts> facts,
            List<String> currentMembers) {
        return plans.keySet().stream().map(m -> act(hosts, "provision " + m, m,
                outcomes.getOrDefault(m, new HostOutcome(List.of(), false, false, false)))).toList();
    }

    @Override
    public HostResult restart(ClusterHosts hosts, MemberPlan plan, HostFacts facts) {
        String member = plan.member().getName();
        return act(hosts, "restart " + member, member, new HostOutcome(List.of(), false, true, false));
    }

    @Override
    public List<HostResult> retire(ClusterHosts hosts, String clusterUid, List<Retiree> machines, boolean wipe) {
        return machines.stream().map(r -> act(hosts, (wipe ? "wipe " : "retire ") + r.machine().getName(),
                r.machine().getName(), new HostOutcome(List.of(), false, false, false))).toList();
    }

    @Override
    public HostResult recover(ClusterHosts hosts, MemberPlan seed, QuorumRestore restore) {
        String member = seed.member().getName();
        return act(hosts, "recover " + member + " from " + restore.snapshot().map(SnapshotRestore::key).orElse("its data"),
                member, new HostOutcome(List.of(), false, true, false));
    }

    @Override
    public HostResult markData(ClusterHosts hosts, MemberPlan plan, String memberId, String dataId) {
        String member = plan.member().getName();
        return act(hosts, "mark " + member + " " + dataId, member, new HostOutcome(List.of(), false, false, false));
    }

    @Override
    public DrillResult checkSnapshot(ClusterHosts hosts, MemberPlan plan, SnapshotRestore snapshot) {
        HostResult done = act(hosts, "drill " + plan.member().getName(), plan.member().getName(),
                new HostOutcome(List.of(), false, false, false));
        return new DrillResult(done.member(), done.failure().isPresent() ? Optional.empty()
                : Optional.of(new SnapshotCheck(1, 1, 1, 1)), done.failure());
    }

    private HostResult act(ClusterHosts hosts, String call, String member, HostOutcome outcome) {
        actedOn.add(FakeHosts.clusterOf(hosts));
        calls.add(call);
        Failure failure = failing.getOrDefault(call.split(" ")[0] + " " + member, failing.get(member));
        return failure != null ? HostResult.failed(member, failure) : HostResult.done(member, outcome);
    }

    public boolean touched(String clusterName) {
        return actedOn.contains(clusterName);
    }

    /** What was asked, in order, e.g. "provision etcd-1", "restart etcd-2", "retire etcd-4". */
    public List<String> calls() {
        return List.copyOf(calls);
    }
}
