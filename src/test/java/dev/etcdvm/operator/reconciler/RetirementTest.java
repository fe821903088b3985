package dev.etcdvm.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.membership.MembershipChange;
import dev.etcdvm.operator.reconciler.membership.RetiringMembers;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.support.RecordingHostActions;
import dev.etcdvm.operator.support.Specs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetirementTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Decision CONVERGE = new Decision(Decision.Mode.CONVERGE, Map.of(), new MembershipChange.None(),
            "Converging", "");
    /** etcd answers and no longer lists the leaving machine. */
    private static final ObservedCluster OBSERVED = new ObservedCluster(List.of(),
            new EtcdView(Optional.of("c1"), List.of(), List.of(), List.of(), Optional.empty()));

    private final RecordingHostActions machines = new RecordingHostActions();
    private final Retirement retirement = new Retirement(machines);

    @Test
    void aRemovedMemberIsStoppedAndThenForgotten() {
        EtcdVmCluster cluster = withLeaving(null);
        List<MemberStatus> left = retirement.run(cluster, OBSERVED, CONVERGE, draft(cluster));
        assertThat(machines.touched("c")).isTrue();
        assertThat(left).isEmpty();
    }

    @Test
    void aMachineThatJustFailedToStopIsNotTriedOnEveryPass() {
        EtcdVmCluster cluster = withLeaving(NOW.minusSeconds(10).toString());
        List<MemberStatus> left = retirement.run(cluster, OBSERVED, CONVERGE, draft(cluster));
        assertThat(machines.touched("c")).isFalse();
        assertThat(left).singleElement().satisfies(m -> {
            assertThat(m.getPhase()).isEqualTo(RetiringMembers.RETIRING);
            assertThat(m.getMessage()).startsWith("stopping its service failed");
        });
    }

    @Test
    void aFailedMachineIsTriedAgainOnceTheRetryIntervalPassed() {
        EtcdVmCluster cluster = withLeaving(NOW.minus(Retirement.RETRY_FAILED).minusSeconds(1).toString());
        assertThat(retirement.run(cluster, OBSERVED, CONVERGE, draft(cluster))).isEmpty();
        assertThat(machines.touched("c")).isTrue();
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

    private static StatusDraft draft(EtcdVmCluster cluster) {
        return StatusDraft.startingFrom(cluster, Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
