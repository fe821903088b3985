package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MachinePaths;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.RecordingObserver;
import dev.etcdvm.operator.support.Specs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterPlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final EtcdVmCluster cluster = uid(Specs.threeMembers("c", "ns"));
    private final Map<String, MemberPlan> plans = plans(cluster);

    @Test
    void freshMachinesFormANewClusterTogether() {
        Decision d = Planning.decide(cluster, observed(fresh(), fresh(), fresh()), plans, NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.BOOTSTRAP);
        assertThat(d.provision()).containsOnlyKeys("etcd-1", "etcd-2", "etcd-3");
        assertThat(d.provision().values()).allMatch(p -> p.role() == MemberRole.FOUNDER);
    }

    @Test
    void oneUnreachableMachineHoldsBackTheWholeBootstrap() {
        ObservedCluster observed = new ObservedCluster(List.of(
                HostObservation.reachable("etcd-1", "10.250.0.11", "fp", fresh()),
                HostObservation.unreachable("etcd-2", "10.250.0.12", null, Failure.of(Operation.HOST_PROBE, FailureReason.HostKeyMismatch, null, "expected X")),
                HostObservation.reachable("etcd-3", "10.250.0.13", "fp", fresh())), EtcdView.unavailable("down"));
        Decision d = Planning.decide(cluster, observed, plans, NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.WAIT);
        assertThat(d.reason()).isEqualTo("HostKeyMismatch");
        assertThat(d.provision()).isEmpty();
    }

    @Test
    void aMachineWithSomeoneElsesDataBlocksTheBootstrapAndIsNamed() {
        HostFacts foreign = withData(fresh(), HostFacts.DataDir.MEMBER, Optional.of("other-uid"));
        Decision d = Planning.decide(cluster, observed(fresh(), foreign, fresh()), plans, NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.WAIT);
        assertThat(d.reason()).isEqualTo("ForeignData");
        assertThat(d.message()).contains("etcd-2", "another EtcdVmCluster");
    }

    @Test
    void aPortHeldBySomethingElseBlocksTheBootstrap() {
        HostFacts busy = new HostFacts("x86_64", true, Optional.empty(), 0, HostFacts.DataDir.ABSENT, Optional.empty(),
                Optional.empty(), Optional.empty(), "inactive", false, 0, Map.of(2379, "nginx ", 2380, "free"), 10_000_000, Map.of(),
                0, MachinePaths.NONE);
        Decision d = Planning.decide(cluster, observed(fresh(), fresh(), busy), plans, NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.WAIT);
        assertThat(d.message()).contains("etcd-3", "port 2379 is in use by nginx");
    }

    @Test
    void aBootstrapInterruptedHalfwayContinuesAsNew() {
        HostFacts started = withData(fresh(), HostFacts.DataDir.MEMBER, Optional.of("uid-c"));
        Decision d = Planning.decide(cluster, observed(started, fresh(), started), plans, NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.BOOTSTRAP);
    }

    @Test
    void aFormedClusterConvergesOnlyMachinesThatHoldTheirMember() {
        cluster.setStatus(status("abc"));
        HostFacts running = withData(fresh(), HostFacts.DataDir.MEMBER, Optional.of("uid-c"));
        Decision d = Planning.decide(cluster, observed(running, fresh(), running), plans, NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.CONVERGE);
        assertThat(d.provision()).containsOnlyKeys("etcd-1", "etcd-3");
        assertThat(d.provision().values()).allMatch(p -> p.role() == MemberRole.MEMBER);
    }

    @Test
    void anotherClusterIdFreezesEverything() {
        cluster.setStatus(status("abc"));
        HostFacts running = withData(fresh(), HostFacts.DataDir.MEMBER, Optional.of("uid-c"));
        ObservedCluster observed = new ObservedCluster(observed(running, running, running).hosts(),
                new EtcdView(Optional.of("def"), List.of(), List.of(), List.of(), true, Optional.empty()));
        Decision d = Planning.decide(cluster, observed, plans, NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(d.reason()).isEqualTo("ClusterIdMismatch");
        assertThat(d.provision()).isEmpty();
    }

    @Test
    void membersDisagreeingOnTheClusterIdFreezeEverything() {
        EtcdView split = new EtcdView(Optional.of("abc"), List.<EtcdMemberView>of(), List.of("def"), List.of(), true, Optional.empty());
        Decision d = Planning.decide(cluster, new ObservedCluster(observed(fresh(), fresh(), fresh()).hosts(), split), plans, NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.FREEZE);
    }

    private static EtcdVmClusterStatus status(String clusterId) {
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.setClusterId(clusterId);
        return status;
    }

    private static EtcdVmCluster uid(EtcdVmCluster cluster) {
        cluster.getMetadata().setUid("uid-c");
        return cluster;
    }

    private static HostFacts fresh() {
        return RecordingObserver.freshMachine();
    }

    private static HostFacts withData(HostFacts f, HostFacts.DataDir data, Optional<String> marker) {
        return new HostFacts(f.arch(), f.systemd(), f.installedVersion(), f.binaryModified(), data, marker,
                f.memberId(), f.dataId(), f.serviceState(), f.serviceEnabled(), f.serviceStarted(), f.portHolders(), f.diskFreeKiB(), f.files(),
                f.plannedRestartAt(), f.paths());
    }

    private ObservedCluster observed(HostFacts... facts) {
        List<HostObservation> hosts = new ArrayList<>();
        for (int i = 0; i < facts.length; i++) {
            var m = cluster.getSpec().getMembers().get(i);
            hosts.add(HostObservation.reachable(m.getName(), m.getAddress(), "fp", facts[i]));
        }
        return new ObservedCluster(hosts, EtcdView.unavailable("not started"));
    }

    private static Map<String, MemberPlan> plans(EtcdVmCluster cluster) {
        Map<String, MemberPlan> plans = new LinkedHashMap<>();
        MemberTls tls = new MemberTls("ca", "sc", "sk", "pc", "pk");
        cluster.getSpec().getMembers().forEach(m -> plans.put(m.getName(), MemberPlan.of(cluster.getSpec(), m,
                cluster.getSpec().getMembers(), "new", "uid-c", "ns/c", tls)));
        return plans;
    }
}
