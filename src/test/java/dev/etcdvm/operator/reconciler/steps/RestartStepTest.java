package dev.etcdvm.operator.reconciler.steps;

import static dev.etcdvm.operator.reconciler.steps.StepFixtures.M1;
import static dev.etcdvm.operator.reconciler.steps.StepFixtures.M2;
import static dev.etcdvm.operator.reconciler.steps.StepFixtures.M3;
import static dev.etcdvm.operator.reconciler.steps.StepFixtures.NOW;
import static dev.etcdvm.operator.reconciler.steps.StepFixtures.healthyThree;
import static dev.etcdvm.operator.reconciler.steps.StepFixtures.member;
import static dev.etcdvm.operator.reconciler.steps.StepFixtures.observed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.SnapshotRecord;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.FailureReason;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import dev.etcdvm.operator.support.FakeMachines;
import dev.etcdvm.operator.support.FakeMembership;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One member restarts per pass, followers first and the leader last, only while all are healthy and caught up. */
class RestartStepTest {
    private static final EtcdVmCluster CLUSTER = Specs.cluster("c", "ns", List.of(M1, M2, M3));
    private static final HostResult PENDING = HostResult.done("etcd-2",
            new HostOutcome(List.of("/etc/etcd/etcd.env"), false, false, true));

    private final FakeMachines machines = new FakeMachines();
    private final FakeMembership membership = new FakeMembership();
    private final RestartStep step = new RestartStep(machines, membership, Failpoints.NONE);

    @Test
    void aMemberWithChangedFilesRestartsWhenAllAreHealthy() {
        StepOutcome outcome = step.run(provisioned(healthyThree(), new MembershipChange.None()));
        assertThat(machines.calls()).containsExactly("restart etcd-2");
        assertThat(outcome.effects().paces()).containsExactly(Pace.SOON);
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason()).containsExactly(EventReason.MemberRestarted);
    }

    @Test
    void noRestartWhileAMemberIsUnhealthy() {
        ObservedCluster sick = observed(member("a1", M1, true, true), member("a2", M2, true, false),
                member("a3", M3, false, false));
        step.run(provisioned(sick, new MembershipChange.None()));
        assertThat(machines.calls()).isEmpty();
    }

    @Test
    void noRestartWhileAnAlarmIsRaised() {
        ObservedCluster healthy = healthyThree();
        EtcdView e = healthy.etcd();
        ObservedCluster alarmed = new ObservedCluster(healthy.hosts(), new EtcdView(e.clusterId(), e.members(),
                e.foreignClusterIds(), List.of("NOSPACE on etcd-1"), true, Optional.empty()));
        step.run(provisioned(alarmed, new MembershipChange.None()));
        assertThat(machines.calls()).isEmpty();
    }

    @Test
    void noRestartInAPassThatChangesTheMembership() {
        step.run(provisioned(healthyThree(), new MembershipChange.Promote("etcd-4", "a4")));
        assertThat(machines.calls()).isEmpty();
    }

    @Test
    void aFailedRestartIsReportedAndBacksOff() {
        machines.failing("etcd-2", Failure.of(Operation.HOST_RESTART, FailureReason.CommandFailed, null,
                "systemctl restart etcd exited 1"));
        StepOutcome outcome = step.run(provisioned(healthyThree(), new MembershipChange.None()));
        assertThat(outcome.effects().hosts().get("etcd-2").failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(FailureReason.CommandFailed));
        assertThat(outcome.effects().paces()).containsExactly(Pace.PROBLEM);
    }

    @Test
    void noRestartWhileTheLastRestartedMemberIsStillCatchingUpAndItIsLookedAtSoon() {
        ObservedCluster lagging = restartedSecondsAgo(observed(member("a1", M1, true, true), member("a2", M2, true, false),
                behind(member("a3", M3, true, false), RestartStep.MAX_LAG + 1)), "etcd-3", 5);
        StepOutcome outcome = step.run(provisioned(lagging, new MembershipChange.None()));
        assertThat(machines.calls()).isEmpty();
        assertThat(outcome.effects().paces()).containsExactly(Pace.WAITING);
    }

    @Test
    void afterTheLastRestartOfAMinorUpgradeEtcdsClusterVersionIsLookedForSoon() {
        ObservedCluster upgraded = healthyThree();
        EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(M1, M2, M3));
        cluster.getSpec().setVersion("3.5.16");
        ObservedCluster behind = new ObservedCluster(upgraded.hosts(), upgraded.etcd().withClusterVersion(Optional.of("3.4.0")));
        ObservedCluster caughtUp = new ObservedCluster(upgraded.hosts(), upgraded.etcd().withClusterVersion(Optional.of("3.5.0")));

        assertThat(step.run(Passes.of(cluster, behind, converging(cluster, new MembershipChange.None()), NOW))
                .effects().paces()).containsExactly(Pace.WAITING);
        assertThat(step.run(Passes.of(cluster, caughtUp, converging(cluster, new MembershipChange.None()), NOW))
                .effects().paces()).doesNotContain(Pace.WAITING);
    }

    @Test
    void aMemberSickForAnotherReasonHoldsTheRolloutWithoutHurryingTheNextLook() {
        ObservedCluster sick = observed(member("a1", M1, true, true), member("a2", M2, true, false),
                member("a3", M3, false, false));
        StepOutcome outcome = step.run(provisioned(sick, new MembershipChange.None()));
        assertThat(machines.calls()).isEmpty();
        assertThat(outcome.effects().paces()).doesNotContain(Pace.WAITING, Pace.SOON);
    }

    @Test
    void followersRestartBeforeTheLeader() {
        step.run(provisioned(healthyThree(), new MembershipChange.None(), pending("etcd-1"), PENDING));
        assertThat(machines.calls()).containsExactly("restart etcd-2");
    }

    @Test
    void theLeadersTurnHandsLeadershipToAFollowerFirst() {
        StepOutcome outcome = step.run(provisioned(healthyThree(), new MembershipChange.None(), pending("etcd-1")));
        assertThat(machines.calls()).isEmpty();
        assertThat(membership.applied()).singleElement().isInstanceOfSatisfying(MembershipChange.MoveLeader.class,
                move -> assertThat(move.fromName()).isEqualTo("etcd-1"));
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason()).containsExactly(EventReason.LeadershipMoved);
    }

    @Test
    void aSingleMemberRestartsAsItIs() {
        EtcdVmCluster solo = Specs.cluster("c", "ns", List.of(M1));
        ObservedCluster one = observed(member("a1", M1, true, true));
        step.run(Passes.of(solo, one, converging(solo, new MembershipChange.None()), NOW)
                .after(StepOutcome.next(Effects.ofHosts(List.of(pending("etcd-1"))))));
        assertThat(machines.calls()).containsExactly("restart etcd-1");
        assertThat(membership.applied()).isEmpty();
    }

    @Test
    void aVersionChangeWaitsForASnapshotTakenForItWhenBackupsAreConfigured() {
        EtcdVmCluster upgrading = Specs.cluster("c", "ns", List.of(M1, M2, M3));
        upgrading.getSpec().setVersion("3.5.30");
        upgrading.getSpec().setBackup(new BackupSpec());
        upgrading.setStatus(new EtcdVmClusterStatus());
        upgrading.getStatus().setBackup(new BackupStatus());
        Pass pass = Passes.of(upgrading, healthyThree(), converging(upgrading, new MembershipChange.None()), NOW)
                .after(StepOutcome.next(Effects.ofHosts(List.of(PENDING))));

        step.run(pass);
        assertThat(machines.calls()).as("no snapshot for the change yet").isEmpty();

        SnapshotRecord record = new SnapshotRecord();
        record.setTrigger("before version change to 3.5.30");
        step.run(pass.after(StepOutcome.next(Effects.ofBackup(new BackupAttempt.Taken(
                BackupTrigger.before(SnapshotFirst.versionChange("3.5.30")), record, 1, Optional.empty())))));
        assertThat(machines.calls()).as("the snapshot was stored earlier in this pass").containsExactly("restart etcd-2");

        upgrading.getStatus().getBackup().setBeforeChange(SnapshotFirst.versionChange("3.5.30"));
        step.run(pass);
        assertThat(machines.calls()).as("stored in an earlier pass").hasSize(2);
    }

    /** A pass in which provisioning left etcd-2 with files newer than its process. */
    private static Pass provisioned(ObservedCluster observed, MembershipChange change) {
        return provisioned(observed, change, PENDING);
    }

    private static Pass provisioned(ObservedCluster observed, MembershipChange change, HostResult... pending) {
        return Passes.of(CLUSTER, observed, converging(CLUSTER, change), NOW)
                .after(StepOutcome.next(Effects.ofHosts(List.of(pending))));
    }

    /** A pass that provisioned every member (as the reconciler does before restarting any). */
    private static Decision converging(EtcdVmCluster cluster, MembershipChange change) {
        Decision decision = Passes.converging(change);
        return new Decision(decision.mode(), Planning.founders(cluster, "uid"), change, decision.reason(),
                decision.message(), Optional.empty(), Optional.empty());
    }

    private static HostResult pending(String member) {
        return HostResult.done(member, new HostOutcome(List.of("/etc/etcd/etcd.env"), false, false, true));
    }

    /** The same observation, with {@code member}'s machine restarted on purpose {@code seconds} before NOW. */
    private static ObservedCluster restartedSecondsAgo(ObservedCluster observed, String member, long seconds) {
        long asked = NOW.minusSeconds(seconds).getEpochSecond();
        return new ObservedCluster(observed.hosts().stream().map(h -> !h.member().equals(member) ? h
                : HostObservation.reachable(h.member(), h.address(), h.hostKeyFingerprint(), h.facts().map(f ->
                        new HostFacts(f.arch(), f.systemd(), f.installedVersion(), f.binaryModified(), f.dataDir(),
                                f.marker(), f.memberId(), "active", true, asked + 1, f.portHolders(), f.diskFreeKiB(),
                                f.files(), asked, f.paths())).orElseThrow())).toList(), observed.etcd());
    }

    private static EtcdMemberView behind(EtcdMemberView m, long entries) {
        return new EtcdMemberView(m.id(), m.name(), m.peerUrls(), m.clientUrls(), m.learner(), m.healthy(),
                m.healthLatencyMillis(), m.healthError(), m.version(), m.dbSizeBytes(), m.dbSizeInUseBytes(), m.raftTerm(),
                m.raftIndex() - entries, m.leader());
    }
}
