package dev.etcdvm.operator.reconciler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.decide.RetiringMembers;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.FakeMachines;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.PlanRuns;
import dev.etcdvm.operator.support.Specs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetireRuleTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Decision CONVERGE = Passes.converging(new MembershipChange.None());
    /** etcd answers and no longer lists the leaving machine. */
    private static final ObservedCluster OBSERVED = new ObservedCluster(List.of(),
            new EtcdView(Optional.of("c1"), List.of(), List.of(), List.of(), true, Optional.empty()));

    private final PlanRuns runs = new PlanRuns();
    private final FakeMachines machines = runs.machines;

    @Test
    void aRemovedMemberIsStoppedAndThenForgotten() {
        EtcdVmCluster cluster = withLeaving(null);
        List<MemberStatus> left = left(cluster);
        assertThat(machines.touched("c")).isTrue();
        assertThat(left).isEmpty();
    }

    @Test
    void aMachineThatJustFailedToStopIsNotTriedOnEveryPass() {
        EtcdVmCluster cluster = withLeaving(NOW.minusSeconds(10).toString());
        List<MemberStatus> left = left(cluster);
        assertThat(machines.touched("c")).isFalse();
        assertThat(left).singleElement().satisfies(m -> {
            assertThat(m.getPhase()).isEqualTo(RetiringMembers.RETIRING);
            assertThat(m.getMessage()).startsWith("stopping its service failed");
        });
    }

    @Test
    void aFailedMachineIsTriedAgainOnceTheRetryIntervalPassed() {
        EtcdVmCluster cluster = withLeaving(NOW.minus(Action.Retire.RETRY_FAILED).minusSeconds(1).toString());
        assertThat(left(cluster)).isEmpty();
        assertThat(machines.touched("c")).isTrue();
    }

    @Test
    void aMachineThatCannotBeStoppedStaysListedWithTheReason() {
        machines.failing("etcd-4", Failure.of(Operation.SSH_CONNECT, FailureReason.HostUnreachable, null,
                "connect to 10.250.0.14:22: no route to host"));
        List<MemberStatus> left = left(withLeaving(null));
        assertThat(left).singleElement().satisfies(m -> {
            assertThat(m.getMessage()).contains("stopping its service failed", "no route to host");
            assertThat(m.getLastProbeTime()).isEqualTo(NOW.toString());
        });
    }

    @Test
    void nothingIsStoppedWhileEtcdCannotSayWhichMembersRun() {
        EtcdVmCluster cluster = withLeaving(null);
        ObservedCluster silent = new ObservedCluster(List.of(), EtcdView.unavailable("no answer"));
        List<MemberStatus> left = runs.run(Passes.of(cluster, silent, CONVERGE, NOW)).effects().retiring()
                .orElseThrow();
        assertThat(machines.touched("c")).isFalse();
        assertThat(left).singleElement().satisfies(m -> assertThat(m.getName()).isEqualTo("etcd-4"));
    }

    /** A three-member spec and one machine that left it, whose last stop attempt failed at {@code failedAt}. */
    private static EtcdVmCluster withLeaving(String failedAt) {
        EtcdVmCluster cluster = Specs.threeMembers("c", "ns");
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.setClusterId("c1");
        MemberStatus leaving = new MemberStatus();
        leaving.setName("etcd-4");
        leaving.setAddress("10.250.0.14");
        leaving.setPhase(RetiringMembers.RETIRING);
        leaving.setLastProbeTime(failedAt);
        leaving.setMessage(failedAt == null ? null : "stopping its service failed: no TCP connection");
        status.getRetiringMembers().add(leaving);
        cluster.setStatus(status);
        return cluster;
    }

    private List<MemberStatus> left(EtcdVmCluster cluster) {
        return runs.run(Passes.of(cluster, OBSERVED, CONVERGE, NOW)).effects().retiring().orElseThrow();
    }
}
