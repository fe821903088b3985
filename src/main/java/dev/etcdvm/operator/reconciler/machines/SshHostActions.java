package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostProvisioner;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.provision.QuorumRestore;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.failure.Failures;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.ssh.HostAccessException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** Acts on machines over SSH in parallel; each machine's failure is its own. */
public final class SshHostActions implements HostActions {
    private final HostProvisioner provisioner;
    private final ExecutorService pool;

    public SshHostActions(HostProvisioner provisioner, ExecutorService pool) {
        this.provisioner = provisioner;
        this.pool = pool;
    }

    @Override
    public List<HostResult> provision(ClusterHosts hosts, Map<String, MemberPlan> plans, Map<String, HostFacts> facts,
            List<String> currentMembers) {
        return inParallel(List.copyOf(plans.values()), plan -> act(plan.member(), Operation.HOST_PROVISION,
                () -> HostResult.done(plan.member().getName(), provisioner.provision(hosts.open(plan.member()), plan,
                        facts.get(plan.member().getName()), currentMembers))));
    }

    @Override
    public HostResult restart(ClusterHosts hosts, MemberPlan plan, HostFacts facts) {
        return act(plan.member(), Operation.HOST_RESTART, () -> {
            provisioner.restart(hosts.open(plan.member()), plan, facts);
            return HostResult.done(plan.member().getName(), true);
        });
    }

    @Override
    public List<HostResult> retire(ClusterHosts hosts, String clusterUid, List<Retiree> machines, boolean wipe) {
        return inParallel(machines, r -> act(r.machine(), Operation.HOST_RETIRE, () -> {
            provisioner.retire(hosts.open(r.machine()), clusterUid, r.memberId(), r.currentMembers(), wipe);
            return HostResult.done(r.machine().getName(), false);
        }));
    }

    @Override
    public HostResult recover(ClusterHosts hosts, MemberPlan seed, QuorumRestore restore) {
        return act(seed.member(), Operation.HOST_RECOVER, () -> {
            provisioner.recover(hosts.open(seed.member()), seed, restore);
            return HostResult.done(seed.member().getName(), true);
        });
    }

    @Override
    public HostResult markData(ClusterHosts hosts, MemberPlan plan, String memberId, String dataId) {
        return act(plan.member(), Operation.HOST_MARK_DATA, () -> {
            provisioner.markData(hosts.open(plan.member()), plan, memberId, dataId);
            return HostResult.done(plan.member().getName(), false);
        });
    }

    @Override
    public DrillResult checkSnapshot(ClusterHosts hosts, MemberPlan plan, SnapshotRestore snapshot) {
        String member = plan.member().getName();
        try {
            return new DrillResult(member, Optional.of(provisioner.checkSnapshot(hosts.open(plan.member()), plan, snapshot)),
                    Optional.empty());
        } catch (HostAccessException e) {
            return new DrillResult(member, Optional.empty(), Optional.of(Failures.of(e, Operation.SSH_CONNECT, member)));
        } catch (ProvisionException e) {
            return new DrillResult(member, Optional.empty(), Optional.of(Failures.of(e, Operation.HOST_DRILL, member)));
        }
    }

    private <T> List<HostResult> inParallel(List<T> items, Function<T, HostResult> action) {
        List<CompletableFuture<HostResult>> work = items.stream()
                .map(item -> CompletableFuture.supplyAsync(() -> action.apply(item), pool)).toList();
        return work.stream().map(CompletableFuture::join).toList();
    }

    private interface RemoteAction {
        HostResult run() throws HostAccessException, ProvisionException;
    }

    private static HostResult act(MemberSpec member, Operation operation, RemoteAction action) {
        try {
            return action.run();
        } catch (HostAccessException e) {
            return HostResult.failed(member.getName(), Failures.of(e, Operation.SSH_CONNECT, member.getName()));
        } catch (ProvisionException e) {
            return HostResult.failed(member.getName(), Failures.of(e, operation, member.getName()));
        }
    }
}
