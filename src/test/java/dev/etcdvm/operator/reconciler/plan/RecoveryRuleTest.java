package dev.etcdvm.operator.reconciler.plan;

import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M1;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M2;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M3;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.FakeMachines;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.PlanRuns;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.RecordingObserver;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A chosen recovery acts only once recorded, stops other old members first, and leaves the seed alone if it cannot. */
class RecoveryRuleTest {
    private static final String UID = "uid-r";

    @Test
    void aChoiceNotYetInStatusTouchesNoMachine() {
        PlanRuns runs = new PlanRuns();
        FakeMachines machines = runs.machines;
        EtcdVmCluster cluster = cluster(false);
        Pass outcome = runs.run(pass(cluster, bothSurvive()));
        assertThat(runs.plan().actions()).isEmpty();
        assertThat(machines.calls()).isEmpty();
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason())
                .containsExactly(EventReason.QuorumRecoveryStarted);
    }

    @Test
    void anotherOldMemberIsStoppedBeforeTheSeedIsRestored() {
        PlanRuns runs = new PlanRuns();
        FakeMachines machines = runs.machines;
        Pass outcome = runs.run(pass(cluster(true), bothSurvive()));
        assertThat(machines.calls()).containsExactly("retire etcd-2", "recover etcd-1 from its data");
        assertThat(runs.plan().actions()).as("nothing else changes until the seed leads")
                .extracting(a -> a.getClass().getSimpleName()).containsExactly("StopForRecovery", "Recover");
    }

    @Test
    void whileAnotherOldMemberCannotBeStoppedTheSeedIsLeftAlone() {
        PlanRuns runs = new PlanRuns();
        FakeMachines machines = runs.machines.failing("etcd-2", Failure.of(Operation.HOST_RETIRE,
                FailureReason.CommandFailed, "etcd-2", "etcd.service is still active after stop"));
        Pass outcome = runs.run(pass(cluster(true), bothSurvive()));
        assertThat(machines.calls()).containsExactly("retire etcd-2");
        assertThat(outcome.effects().hosts().get("etcd-2").failure()).isPresent();
        assertThat(PlanRuns.urgency(outcome)).as("the seed is looked at again with backoff").contains(Pace.PROBLEM);
    }

    /** etcd-1 and etcd-2 still hold their data and run; etcd-3 is gone. Nobody leads. */
    private static ObservedCluster bothSurvive() {
        return new ObservedCluster(List.of(
                HostObservation.reachable("etcd-1", M1.getAddress(), "SHA256:x", RecordingObserver.runningMember(UID, "a1")),
                HostObservation.reachable("etcd-2", M2.getAddress(), "SHA256:x", RecordingObserver.runningMember(UID, "a2")),
                HostObservation.unreachable("etcd-3", M3.getAddress(), null, Failure.of(Operation.SSH_CONNECT,
                        FailureReason.HostUnreachable, "etcd-3", "no route to host"))),
                new EtcdView(Optional.of("abc"), List.of(), List.of(), List.of(), false, Optional.empty()));
    }

    @Test
    void aMachineOutOfSightThatWasNotGivenUpHoldsTheSeedBack() {
        PlanRuns runs = new PlanRuns();
        FakeMachines machines = runs.machines;
        EtcdVmCluster cluster = cluster(true);
        cluster.getStatus().getQuorumLoss().setRecovery(recovery(List.of()));
        Pass outcome = runs.run(pass(cluster, bothSurvive(), recovery(List.of())));
        assertThat(machines.calls()).as("etcd-2 is stopped, the seed is not restored").containsExactly("retire etcd-2");
        assertThat(PlanRuns.urgency(outcome)).contains(Pace.PROBLEM);
    }

    private static EtcdVmCluster cluster(boolean recorded) {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(M1, M2, M3));
        cluster.getMetadata().setUid(UID);
        cluster.setStatus(new EtcdVmClusterStatus());
        cluster.getStatus().setClusterId("abc");
        cluster.getStatus().setQuorumLoss(new QuorumLossStatus());
        if (recorded) {
            cluster.getStatus().getQuorumLoss().setRecovery(recovery());
        }
        return cluster;
    }

    /** The choice gave up etcd-3, which cannot be reached. */
    private static RecoveryRecord recovery() {
        return recovery(List.of("etcd-3"));
    }

    private static RecoveryRecord recovery(List<String> givenUp) {
        RecoveryRecord r = new RecoveryRecord();
        r.setRequest("survivor@0123456789;unreachable=" + String.join(",", givenUp));
        r.setGivenUp(givenUp);
        r.setSource("survivor");
        r.setSeed("etcd-1");
        r.setSeedMemberId("a1");
        r.setToken(UID + "-recovered-1");
        r.setFormerClusterId("abc");
        r.setArchive("/var/lib/etcd.recovery-20261201T120000Z");
        r.setStartedAt("2026-12-01T12:00:00Z");
        return r;
    }

    private static Pass pass(EtcdVmCluster cluster, ObservedCluster observed) {
        return pass(cluster, observed, recovery());
    }

    private static Pass pass(EtcdVmCluster cluster, ObservedCluster observed, RecoveryRecord chosen) {
        QuorumLossStatus withChoice = new QuorumLossStatus();
        withChoice.setRecovery(chosen);
        Decision decision = new Decision(Decision.Mode.RECOVER,
                Map.of("etcd-1", Planning.founders(cluster, UID).get("etcd-1")), new MembershipChange.None(),
                "QuorumRecovering", "recovering", Optional.empty(), Optional.empty(), List.of(), Optional.of(withChoice),
                Optional.empty());
        return Passes.of(cluster, observed, decision, NOW);
    }
}
