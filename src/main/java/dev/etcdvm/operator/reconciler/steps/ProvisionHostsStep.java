package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.provision.HostProvisioner;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.hosts.ClusterHosts;
import dev.etcdvm.operator.reconciler.hosts.HostAccess;
import dev.etcdvm.operator.reconciler.observe.HostFailures;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.ssh.HostAccessException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Provisions the chosen machines in parallel; each machine's failure is its own. */
public final class ProvisionHostsStep implements HostActions {
    private final HostAccess access;
    private final HostProvisioner provisioner;
    private final ExecutorService pool;

    public ProvisionHostsStep(HostAccess access, HostProvisioner provisioner, ExecutorService pool) {
        this.access = access;
        this.provisioner = provisioner;
        this.pool = pool;
    }

    @Override
    public List<HostResult> provision(EtcdVmCluster cluster, Map<String, MemberPlan> plans, ObservedCluster observed) {
        if (plans.isEmpty()) {
            return List.of();
        }
        ClusterHosts sessions;
        try {
            sessions = access.forCluster(cluster);
        } catch (HostAccessException e) {
            return plans.keySet().stream().map(m -> HostResult.failed(m, HostFailures.of(e))).toList();
        }
        List<CompletableFuture<HostResult>> work = plans.values().stream()
                .map(plan -> CompletableFuture.supplyAsync(() -> provisionOne(sessions, plan,
                        observed.host(plan.member().getName()).flatMap(HostObservation::facts).orElseThrow()), pool))
                .toList();
        return work.stream().map(CompletableFuture::join).toList();
    }

    @Override
    public List<HostResult> retire(EtcdVmCluster cluster, List<MemberSpec> machines, boolean wipe) {
        if (machines.isEmpty()) {
            return List.of();
        }
        ClusterHosts sessions;
        try {
            sessions = access.forCluster(cluster);
        } catch (HostAccessException e) {
            return machines.stream().map(m -> HostResult.failed(m.getName(), HostFailures.of(e))).toList();
        }
        HostLayout layout = HostLayout.of(cluster.getSpec());
        List<CompletableFuture<HostResult>> work = machines.stream()
                .map(m -> CompletableFuture.supplyAsync(() -> retireOne(sessions, m, layout, wipe), pool)).toList();
        return work.stream().map(CompletableFuture::join).toList();
    }

    private HostResult retireOne(ClusterHosts sessions, MemberSpec machine, HostLayout layout, boolean wipe) {
        try {
            provisioner.retire(sessions.open(machine), layout, wipe);
            return HostResult.done(machine.getName(), new HostOutcome(List.of(), false, false, false));
        } catch (HostAccessException e) {
            return HostResult.failed(machine.getName(), HostFailures.of(e));
        } catch (ProvisionException e) {
            return HostResult.failed(machine.getName(), HostFailures.of(e));
        }
    }

    @Override
    public HostResult restart(EtcdVmCluster cluster, MemberSpec member) {
        try {
            provisioner.restart(access.forCluster(cluster).open(member));
            return HostResult.done(member.getName(), new HostOutcome(
                    List.of(), false, true, false));
        } catch (HostAccessException e) {
            return HostResult.failed(member.getName(), HostFailures.of(e));
        } catch (ProvisionException e) {
            return HostResult.failed(member.getName(), HostFailures.of(e));
        }
    }

    private HostResult provisionOne(ClusterHosts sessions, MemberPlan plan, HostFacts facts) {
        String name = plan.member().getName();
        try {
            return HostResult.done(name, provisioner.provision(sessions.open(plan.member()), plan, facts));
        } catch (HostAccessException e) {
            return HostResult.failed(name, HostFailures.of(e));
        } catch (ProvisionException e) {
            return HostResult.failed(name, HostFailures.of(e));
        }
    }
}
