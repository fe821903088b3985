package dev.etcdvm.operator.reconciler.plan;

import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M1;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M2;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M3;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.NOW;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.healthyThree;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.member;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.observed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.FakeBackups;
import dev.etcdvm.operator.support.FakeMachines;
import dev.etcdvm.operator.support.FakeMembership;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.PlanRuns;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One member restarts per pass, followers first and the leader last, only while all are healthy and caught up; which
 * members need one is read from the probe.
 */
class RestartRuleTest {
    private static final EtcdVmCluster CLUSTER = Specs.cluster("c", "ns", List.of(M1, M2, M3));
    private static final Map<String, MemberPlan> PLANS = Planning.founders(CLUSTER, "uid");

    private final PlanRuns runs = new PlanRuns();
    private final FakeMachines machines = runs.machines;
    private final FakeMembership membership = runs.membership;

    @Test
    void aMemberWithChangedFilesRestartsWhenAllAreHealthy() {
        Pass outcome = runs.run(provisioned(healthyThree(), new MembershipChange.None()));
        assertThat(restarts()).containsExactly("restart etcd-2");
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.SOON);
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason()).containsExactly(EventReason.MemberRestarted);
    }

    @Test
    void noRestartWhileAMemberIsUnhealthy() {
        ObservedCluster sick = observed(member("a1", M1, true, true), member("a2", M2, true, false),
                member("a3", M3, false, false));
        runs.run(provisioned(sick, new MembershipChange.None()));
        assertThat(restarts()).isEmpty();
    }

    @Test
    void noRestartWhileAnAlarmIsRaised() {
        ObservedCluster healthy = healthyThree();
        EtcdView e = healthy.etcd();
        ObservedCluster alarmed = new ObservedCluster(healthy.hosts(), new EtcdView(e.clusterId(), e.members(),
                e.foreignClusterIds(), List.of("NOSPACE on etcd-1"), true, Optional.empty()));
        runs.run(provisioned(alarmed, new MembershipChange.None()));
        assertThat(restarts()).isEmpty();
    }

    @Test
    void noRestartInAPassThatChangesTheMembership() {
        runs.run(provisioned(healthyThree(), new MembershipChange.Promote("etcd-4", "a4")));
        assertThat(restarts()).isEmpty();
    }

    @Test
    void aFailedRestartIsReportedAndBacksOff() {
        machines.failingOn("restart", "etcd-2", Failure.of(Operation.HOST_RESTART, FailureReason.CommandFailed, null,
                "systemctl restart etcd exited 1"));
        Pass outcome = runs.run(provisioned(healthyThree(), new MembershipChange.None()));
        assertThat(outcome.effects().hosts().get("etcd-2").failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(FailureReason.CommandFailed));
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.PROBLEM);
    }

    @Test
    void noRestartWhileTheLastRestartedMemberIsStillCatchingUpAndItIsLookedAtSoon() {
        ObservedCluster lagging = restartedSecondsAgo(PassFixtures.runningPlans(observed(member("a1", M1, true, true),
                member("a2", M2, true, false), behind(member("a3", M3, true, false), RestartRule.MAX_LAG + 1)), PLANS,
                "uid", "etcd-2"), "etcd-3", 5);
        Pass outcome = runs.run(pass(lagging, new MembershipChange.None()));
        assertThat(restarts()).isEmpty();
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.WAITING);
    }

    @Test
    void afterTheLastRestartOfAMinorUpgradeEtcdsClusterVersionIsLookedForSoon() {
        ObservedCluster upgraded = healthyThree();
        EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(M1, M2, M3));
        cluster.getSpec().setVersion("3.5.16");
        ObservedCluster behind = new ObservedCluster(upgraded.hosts(), upgraded.etcd().withClusterVersion(Optional.of("3.4.0")));
        ObservedCluster caughtUp = new ObservedCluster(upgraded.hosts(), upgraded.etcd().withClusterVersion(Optional.of("3.5.0")));

        assertThat(Optional.of(runs.run(Passes.of(cluster, behind, converging(cluster, new MembershipChange.None()), NOW)))
                ).map(PlanRuns::urgency).hasValue(Set.of(Pace.WAITING));
        assertThat(PlanRuns.urgency(runs.run(Passes.of(cluster, caughtUp, converging(cluster,
                new MembershipChange.None()), NOW)))).doesNotContain(Pace.WAITING);
    }

    @Test
    void aMemberSickForAnotherReasonHoldsTheRolloutWithoutHurryingTheNextLook() {
        ObservedCluster sick = observed(member("a1", M1, true, true), member("a2", M2, true, false),
                member("a3", M3, false, false));
        Pass outcome = runs.run(provisioned(sick, new MembershipChange.None()));
        assertThat(restarts()).isEmpty();
        assertThat(PlanRuns.urgency(outcome)).doesNotContain(Pace.WAITING, Pace.SOON);
    }

    @Test
    void followersRestartBeforeTheLeader() {
        runs.run(provisioned(healthyThree(), new MembershipChange.None(), "etcd-1", "etcd-2"));
        assertThat(restarts()).containsExactly("restart etcd-2");
    }

    @Test
    void theLeadersTurnHandsLeadershipToAFollowerFirst() {
        Pass outcome = runs.run(provisioned(healthyThree(), new MembershipChange.None(), "etcd-1"));
        assertThat(restarts()).isEmpty();
        assertThat(membership.applied()).singleElement().isInstanceOfSatisfying(MembershipChange.MoveLeader.class,
                move -> assertThat(move.fromName()).isEqualTo("etcd-1"));
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason()).containsExactly(EventReason.LeadershipMoved);
    }

    @Test
    void aSingleMemberRestartsAsItIs() {
        EtcdVmCluster solo = Specs.cluster("c", "ns", List.of(M1));
        ObservedCluster one = observed(member("a1", M1, true, true));
        runs.run(Passes.of(solo, PassFixtures.runningPlans(one, Planning.founders(solo, "uid"), "uid", "etcd-1"),
                converging(solo, new MembershipChange.None()), NOW));
        assertThat(restarts()).containsExactly("restart etcd-1");
        assertThat(membership.applied()).isEmpty();
    }

    @Test
    void aVersionChangeWaitsForASnapshotTakenForItWhenBackupsAreConfigured() {
        EtcdVmCluster upgrading = Specs.cluster("c", "ns", List.of(M1, M2, M3));
        upgrading.getSpec().setVersion("3.5.30");
        upgrading.getSpec().setBackup(new BackupSpec());
        upgrading.setStatus(new EtcdVmClusterStatus());
        upgrading.getStatus().setBackup(new BackupStatus());
        Pass pass = Passes.of(upgrading, PassFixtures.runningPlans(healthyThree(), Planning.founders(upgrading, "uid"),
                "uid", "etcd-2"), converging(upgrading, new MembershipChange.None()), NOW);

        runs.run(pass);
        assertThat(restarts()).as("the snapshot for the change failed").isEmpty();

        runs.backups(new FakeBackups()).run(pass);
        assertThat(restarts()).as("the snapshot was stored earlier in this pass").containsExactly("restart etcd-2");
        assertThat(runs.plan().actions().get(0)).isInstanceOf(Action.Snapshot.class);

        upgrading.getStatus().getBackup().setBeforeChange(SnapshotFirst.versionChange("3.5.30"));
        runs.backups(Backups.NONE).run(pass);
        assertThat(restarts()).as("stored in an earlier pass").hasSize(2);
    }

    /** A pass over machines running their plans, etcd-2 (or the members named) on an older binary. */
    private static Pass provisioned(ObservedCluster observed, MembershipChange change, String... pending) {
        return pass(PassFixtures.runningPlans(observed, PLANS, "uid", pending.length == 0 ? new String[] {"etcd-2"}
                : pending), change);
    }

    private static Pass pass(ObservedCluster observed, MembershipChange change) {
        return Passes.of(CLUSTER, observed, converging(CLUSTER, change), NOW);
    }

    /** A pass that provisions every member (as the reconciler does before restarting any). */
    private static Decision converging(EtcdVmCluster cluster, MembershipChange change) {
        Decision decision = Passes.converging(change);
        return new Decision(decision.mode(), Planning.founders(cluster, "uid"), change, decision.reason(),
                decision.message(), Optional.empty(), Optional.empty());
    }

    private List<String> restarts() {
        return machines.calls().stream().filter(c -> c.startsWith("restart")).toList();
    }

    /** The same observation, with {@code member}'s machine restarted on purpose {@code seconds} before NOW. */
    private static ObservedCluster restartedSecondsAgo(ObservedCluster observed, String member, long seconds) {
        long asked = NOW.minusSeconds(seconds).getEpochSecond();
        return new ObservedCluster(observed.hosts().stream().map(h -> !h.member().equals(member) ? h
                : HostObservation.reachable(h.member(), h.address(), h.hostKeyFingerprint(), h.facts().map(f ->
                        new HostFacts(f.arch(), f.systemd(), f.installedVersion(), f.binaryModified(), f.dataDir(),
                                f.marker(), f.memberId(), f.dataId(), "active", true, asked + 1, f.portHolders(), f.diskFreeKiB(),
                                f.files(), asked, f.paths())).orElseThrow())).toList(), observed.etcd());
    }

    private static EtcdMemberView behind(EtcdMemberView m, long entries) {
        return new EtcdMemberView(m.id(), m.name(), m.peerUrls(), m.clientUrls(), m.learner(), m.healthy(),
                m.healthLatencyMillis(), m.healthError(), m.version(), m.dbSizeBytes(), m.dbSizeInUseBytes(), m.raftTerm(),
                m.raftIndex() - entries, m.leader());
    }
}
