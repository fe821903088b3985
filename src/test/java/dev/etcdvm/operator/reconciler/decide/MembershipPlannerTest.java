package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.decide.MembershipChange.AddLearner;
import dev.etcdvm.operator.reconciler.decide.MembershipChange.Hold;
import dev.etcdvm.operator.reconciler.decide.MembershipChange.MoveLeader;
import dev.etcdvm.operator.reconciler.decide.MembershipChange.None;
import dev.etcdvm.operator.reconciler.decide.MembershipChange.Promote;
import dev.etcdvm.operator.reconciler.decide.MembershipChange.Remove;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MembershipPlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Predicate<MemberSpec> HOST_READY = m -> true;
    private static final long LEADER_INDEX = 1000;

    private static final MemberSpec M1 = new MemberSpec("etcd-1", "10.250.0.11");
    private static final MemberSpec M2 = new MemberSpec("etcd-2", "10.250.0.12");
    private static final MemberSpec M3 = new MemberSpec("etcd-3", "10.250.0.13");
    private static final MemberSpec M4 = new MemberSpec("etcd-4", "10.250.0.14");

    // ---- steady state and global holds ----

    @Test
    void membershipMatchingTheSpecWithEveryoneHealthyChangesNothing() {
        MembershipChange change = next(cluster(M1, M2, M3), etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)));
        assertThat(change).isEqualTo(new None());
    }

    @Test
    void etcdThatCannotBeAskedHoldsEverything() {
        ObservedCluster observed = new ObservedCluster(List.of(), EtcdView.unavailable("connection refused"));
        MembershipChange change = Planning.next(cluster(M1, M2, M3, M4), observed, NOW, HOST_READY);
        Hold hold = asHold(change);
        assertThat(hold.reason()).isEqualTo("EtcdUnavailable");
        assertThat(hold.refused()).isFalse();
        assertThat(hold.message()).contains("connection refused");
    }

    @Test
    void anActiveAlarmHoldsEverything() {
        EtcdView alarmed = new EtcdView(Optional.of("abc"),
                List.of(leader("a1", M1), follower("a2", M2), follower("a3", M3)), List.of(),
                List.of("NOSPACE on etcd-2"), true, Optional.empty());
        // The spec wants a fourth member, but nothing happens while the alarm is active.
        Hold hold = asHold(next(cluster(M1, M2, M3, M4), observed(alarmed)));
        assertThat(hold.reason()).isEqualTo("AlarmActive");
        assertThat(hold.refused()).isFalse();
        assertThat(hold.message()).contains("NOSPACE on etcd-2");
    }

    // ---- adding ----

    @Test
    void aFourthSpecMemberIsAddedAsALearnerWhenAllVotersAreHealthy() {
        MembershipChange change = next(cluster(M1, M2, M3, M4), etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)));
        assertThat(change).isInstanceOf(AddLearner.class);
        AddLearner add = (AddLearner) change;
        assertThat(add.member().getName()).isEqualTo("etcd-4");
        assertThat(add.member().getAddress()).isEqualTo("10.250.0.14");
        assertThat(add.peerUrl()).isEqualTo("https://10.250.0.14:2380");
    }

    @Test
    void addingWaitsWhileAVoterIsUnhealthy() {
        Hold hold = asHold(next(cluster(M1, M2, M3, M4), etcd(leader("a1", M1), dead("a2", M2), follower("a3", M3))));
        assertThat(hold.reason()).isEqualTo("MembersNotHealthy");
        assertThat(hold.refused()).isFalse();
        assertThat(hold.message()).contains("adding etcd-4", "etcd-2").doesNotContain("etcd-3");
    }

    @Test
    void addingWaitsForTheMachineToBeReady() {
        List<String> asked = new ArrayList<>();
        MembershipChange change = Planning.next(cluster(M1, M2, M3, M4),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)), NOW,
                m -> {
                    asked.add(m.getName());
                    return false;
                });
        Hold hold = asHold(change);
        assertThat(hold.reason()).isEqualTo("WaitingForHost");
        assertThat(hold.refused()).isFalse();
        assertThat(hold.message()).contains("etcd-4");
        assertThat(asked).containsExactly("etcd-4");
    }

    @Test
    void onlyOneLearnerIsAddedAtATime() {
        MemberSpec m5 = new MemberSpec("etcd-5", "10.250.0.15");
        MembershipChange change = next(cluster(M1, M2, M3, M4, m5),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)));
        assertThat(((AddLearner) change).member().getName()).isEqualTo("etcd-4");

        // Once etcd-4 is a learner that has not started, etcd-5 waits.
        Hold hold = asHold(next(cluster(M1, M2, M3, M4, m5),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3), neverStarted("a4", M4))));
        assertThat(hold.reason()).isEqualTo("LearnerJoining");
    }

    // ---- learners ----

    @Test
    void aLearnerAddedButNeverStartedIsWaitedFor() {
        Hold hold = asHold(next(cluster(M1, M2, M3, M4),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3), neverStarted("a4", M4))));
        assertThat(hold.reason()).isEqualTo("LearnerJoining");
        assertThat(hold.refused()).isFalse();
        assertThat(hold.message()).contains("etcd-4");
    }

    @Test
    void aHealthyLearnerWithinTheLagIsPromoted() {
        MembershipChange change = next(cluster(M1, M2, M3, M4), etcd(leader("a1", M1), follower("a2", M2),
                follower("a3", M3), learner("a4", M4, true, LEADER_INDEX - MembershipPlanner.CAUGHT_UP_LAG)));
        assertThat(change).isEqualTo(new Promote("etcd-4", "a4"));
    }

    @Test
    void aLearnerOneEntryBeyondTheLagKeepsCatchingUp() {
        Hold hold = asHold(next(cluster(M1, M2, M3, M4), etcd(leader("a1", M1), follower("a2", M2),
                follower("a3", M3), learner("a4", M4, true, LEADER_INDEX - MembershipPlanner.CAUGHT_UP_LAG - 1))));
        assertThat(hold.reason()).isEqualTo("LearnerCatchingUp");
        assertThat(hold.refused()).isFalse();
    }

    @Test
    void aLearnerFarBehindTheLeaderKeepsCatchingUp() {
        Hold hold = asHold(next(cluster(M1, M2, M3, M4),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3), learner("a4", M4, true, 10L))));
        assertThat(hold.reason()).isEqualTo("LearnerCatchingUp");
        assertThat(hold.message()).contains("etcd-4", "raft index 10 of 1000");
    }

    @Test
    void anUnhealthyLearnerIsNotPromotedEvenWhenItsIndexIsClose() {
        Hold hold = asHold(next(cluster(M1, M2, M3, M4),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3), learner("a4", M4, false, LEADER_INDEX))));
        assertThat(hold.reason()).isEqualTo("LearnerCatchingUp");
    }

    @Test
    void aLearnerIsNotPromotedWithoutALeaderToCompareWith() {
        Hold hold = asHold(next(cluster(M1, M2, M3, M4),
                etcd(follower("a1", M1), follower("a2", M2), follower("a3", M3), learner("a4", M4, true, LEADER_INDEX))));
        assertThat(hold.reason()).isEqualTo("LearnerCatchingUp");
    }

    @Test
    void promotionWaitsWhileAVoterIsUnhealthy() {
        Hold hold = asHold(next(cluster(M1, M2, M3, M4),
                etcd(leader("a1", M1), follower("a2", M2), dead("a3", M3), learner("a4", M4, true, LEADER_INDEX))));
        assertThat(hold.reason()).isEqualTo("MembersNotHealthy");
        assertThat(hold.refused()).isFalse();
        assertThat(hold.message()).contains("promoting etcd-4", "etcd-3");
    }

    @Test
    void aLearnerTheSpecNoLongerListsIsRemoved() {
        MembershipChange change = next(cluster(M1, M2, M3),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3), learner("a4", M4, true, 10L)));
        assertThat(change).isEqualTo(new Remove("etcd-4", "a4", "a learner the spec no longer lists"));
    }

    @Test
    void aNeverStartedLearnerTheSpecNoLongerListsIsRemovedByItsId() {
        MembershipChange change = next(cluster(M1, M2, M3),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3), neverStarted("a4", M4)));
        assertThat(change).isEqualTo(new Remove("member a4", "a4", "a learner the spec no longer lists"));
    }

    // ---- removing ----

    @Test
    void aHealthyFollowerDroppedFromTheSpecIsRemoved() {
        MembershipChange change = next(cluster(M1, M2), etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)));
        assertThat(change).isEqualTo(new Remove("etcd-3", "a3", "the spec no longer lists it"));
    }

    @Test
    void leadershipMovesToAHealthySpecVoterBeforeTheLeaderIsRemoved() {
        MembershipChange change = next(cluster(M2, M3), etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)));
        assertThat(change).isEqualTo(new MoveLeader("etcd-1", "etcd-2", "a2"));

        // Next pass: leadership has moved, the former leader is removed.
        MembershipChange after = next(cluster(M2, M3), etcd(follower("a1", M1), leader("a2", M2), follower("a3", M3)));
        assertThat(after).isEqualTo(new Remove("etcd-1", "a1", "the spec no longer lists it"));
    }

    @Test
    void aCaughtUpLearnerIsPromotedBeforeADroppedLeaderIsTouched() {
        // etcd-4 is a caught-up learner in the spec: it is promoted before leadership moves or anyone is removed.
        MembershipChange change = next(cluster(M2, M3, M4), etcd(leader("a1", M1), follower("a2", M2),
                follower("a3", M3), learner("a4", M4, true, LEADER_INDEX)));
        assertThat(change).isEqualTo(new Promote("etcd-4", "a4"));
    }

    @Test
    void droppingTwoOfThreeRemovesOneMemberPerPass() {
        EtcdVmCluster oneLeft = cluster(M1);
        MembershipChange first = next(oneLeft, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)));
        assertThat(first).isEqualTo(new Remove("etcd-2", "a2", "the spec no longer lists it"));

        MembershipChange second = next(oneLeft, etcd(leader("a1", M1), follower("a3", M3)));
        assertThat(second).isEqualTo(new Remove("etcd-3", "a3", "the spec no longer lists it"));

        assertThat(next(oneLeft, etcd(leader("a1", M1)))).isEqualTo(new None());
    }

    @Test
    void theQuorumGuardRefusesARemovalThatLeavesTooFewHealthyVoters() {
        // etcd-2 (still in the spec) is dead; removing the healthy etcd-3 would leave 1 healthy of 2 voters.
        Hold hold = asHold(next(cluster(M1, M2), etcd(leader("a1", M1), dead("a2", M2), follower("a3", M3))));
        assertThat(hold.reason()).isEqualTo("QuorumGuard");
        assertThat(hold.refused()).isTrue();
        assertThat(hold.message()).isEqualTo("refusing to remove etcd-3: 1 healthy voting members would remain of 2,"
                + " and quorum needs 2");
    }

    @Test
    void theLastVotingMemberIsNeverRemoved() {
        // A one-member cluster whose only voter is dead and no longer in the spec; the new machine is not added yet.
        MembershipChange change = next(cluster(M2), etcd(dead("a1", M1)));
        Hold hold = asHold(change);
        assertThat(hold.reason()).isEqualTo("QuorumGuard");
        assertThat(hold.refused()).isTrue();
        assertThat(hold.message()).isEqualTo("refusing to remove etcd-1: it is the last voting member");
    }

    @Test
    void theQuorumGuardItselfRefusesTheLastVoterButNotALearner() {
        EtcdMemberView only = leader("a1", M1);
        EtcdMemberView learner = learner("a2", M2, true, 10L);
        MemberMatch match = MemberMatch.of(cluster(M3), etcd(only, learner).etcd());

        Hold hold = asHold(MembershipPlanner.removeIfQuorumHolds(match, only, "etcd-1", "why"));
        assertThat(hold.refused()).isTrue();
        assertThat(hold.reason()).isEqualTo("QuorumGuard");
        assertThat(hold.message()).contains("etcd-1", "last voting member");

        assertThat(MembershipPlanner.removeIfQuorumHolds(match, learner, "etcd-2", "why"))
                .isEqualTo(new Remove("etcd-2", "a2", "why"));
    }

    @Test
    void theQuorumGuardAllowsRemovingADeadVoterWhenTheRestKeepQuorum() {
        EtcdMemberView gone = dead("a3", M3);
        MemberMatch match = MemberMatch.of(cluster(M1, M2), etcd(leader("a1", M1), follower("a2", M2), gone).etcd());
        assertThat(MembershipPlanner.removeIfQuorumHolds(match, gone, "etcd-3", "why"))
                .isEqualTo(new Remove("etcd-3", "a3", "why"));
    }

    // ---- ordering ----

    @Test
    void aDeadDroppedMemberIsRemovedBeforeItsReplacementIsAdded() {
        MembershipChange change = next(cluster(M1, M2, M4), etcd(leader("a1", M1), follower("a2", M2), dead("a3", M3)));
        assertThat(change).isEqualTo(new Remove("etcd-3", "a3", "the spec no longer lists it"));
    }

    @Test
    void aHostSwapAddsTheNewMachineBeforeRemovingTheOldOne() {
        MemberSpec newEtcd3 = new MemberSpec("etcd-3", "10.250.0.23");
        EtcdVmCluster swapped = cluster(M1, M2, newEtcd3);

        MembershipChange add = next(swapped, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)));
        assertThat(add).isInstanceOf(AddLearner.class);
        assertThat(((AddLearner) add).member()).isEqualTo(newEtcd3);
        assertThat(((AddLearner) add).peerUrl()).isEqualTo("https://10.250.0.23:2380");

        assertThat(asHold(next(swapped, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3),
                neverStarted("b3", newEtcd3)))).reason()).isEqualTo("LearnerJoining");

        // The new machine carries the same member name; pairing is by peer URL, so the learner is promoted...
        assertThat(next(swapped, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3),
                learner("b3", newEtcd3, true, LEADER_INDEX)))).isEqualTo(new Promote("etcd-3", "b3"));

        // ...and only then is the old machine's member removed, by its id.
        assertThat(next(swapped, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3),
                follower("b3", newEtcd3)))).isEqualTo(new Remove("etcd-3", "a3", "the spec no longer lists it"));

        assertThat(next(swapped, etcd(leader("a1", M1), follower("a2", M2), follower("b3", newEtcd3))))
                .isEqualTo(new None());
    }

    @Test
    void aDroppedMemberThatDiesWhileItsReplacementCatchesUpIsStillRemoved() {
        // Host swap of etcd-3: the new machine joined as a learner, then the old machine died. Removing the
        // dead member only makes quorum easier, and it is already out of the spec; waiting for it to come
        // back would wait forever.
        MemberSpec newEtcd3 = new MemberSpec("etcd-3", "10.250.0.23");
        MembershipChange change = next(cluster(M1, M2, newEtcd3), etcd(leader("a1", M1), follower("a2", M2),
                dead("a3", M3), learner("b3", newEtcd3, true, LEADER_INDEX)));
        assertThat(change).isEqualTo(new Remove("etcd-3", "a3", "the spec no longer lists it"));
    }

    // ---- replacing a member whose machine lost its data ----

    @Test
    void aRebuiltVoterIsReplacedEvenWhileALearnerCatchesUp() {
        EtcdVmCluster cluster = withUnhealthySince(cluster(M1, M2, M3, M4), M2, NOW.minusSeconds(60));
        MembershipChange change = Planning.next(cluster,
                observed(etcd(leader("a1", M1), dead("a2", M2), follower("a3", M3),
                        learner("a4", M4, true, LEADER_INDEX)).etcd(), host(M2, RecordingObserver.freshMachine())),
                NOW, HOST_READY);
        assertThat(change).isInstanceOf(Remove.class);
        assertThat(((Remove) change).id()).isEqualTo("a2");
        assertThat(((Remove) change).why()).contains("re-added");
    }

    @Test
    void aVoterWhoseMachineLostItsDataIsRemovedToBeReAdded() {
        EtcdVmCluster cluster = withUnhealthySince(cluster(M1, M2, M3), M2, NOW.minusSeconds(60));
        MembershipChange change = nextWithEtcd2Dead(cluster, host(M1, withMemberData("a1")),
                host(M2, RecordingObserver.freshMachine()), host(M3, withMemberData("a3")));
        assertThat(change).isInstanceOf(Remove.class);
        Remove remove = (Remove) change;
        assertThat(remove.name()).isEqualTo("etcd-2");
        assertThat(remove.id()).isEqualTo("a2");
        assertThat(remove.why()).contains("re-added");
    }

    @Test
    void aVoterWhoseMachineHoldsAnotherMembersDataIsReplacedToo() {
        EtcdVmCluster cluster = withUnhealthySince(cluster(M1, M2, M3), M2, NOW.minusSeconds(60));
        MembershipChange change = nextWithEtcd2Dead(cluster, host(M2, withMemberData("ffff")));
        assertThat(change).isInstanceOf(Remove.class);
        assertThat(((Remove) change).id()).isEqualTo("a2");
    }

    @Test
    void aVoterWhoseMachineStillHoldsItsDataIsOnlyDown() {
        EtcdVmCluster cluster = withUnhealthySince(cluster(M1, M2, M3), M2, NOW.minusSeconds(3600));
        MembershipChange change = nextWithEtcd2Dead(cluster, host(M2, withMemberData("a2")));
        assertThat(change).isEqualTo(new None());
    }

    @Test
    void aVoterUnhealthyForLessThanTheThresholdIsNotReplaced() {
        EtcdVmCluster cluster = withUnhealthySince(cluster(M1, M2, M3), M2, NOW.minusSeconds(10));
        MembershipChange change = nextWithEtcd2Dead(cluster, host(M2, RecordingObserver.freshMachine()));
        assertThat(change).isEqualTo(new None());
    }

    @Test
    void theReplacementThresholdIsInclusive() {
        EtcdVmCluster cluster = withUnhealthySince(cluster(M1, M2, M3), M2, NOW.minusSeconds(30));
        MembershipChange change = nextWithEtcd2Dead(cluster, host(M2, RecordingObserver.freshMachine()));
        assertThat(change).isInstanceOf(Remove.class);
        assertThat(((Remove) change).name()).isEqualTo("etcd-2");
    }

    @Test
    void aVoterWhoseMachineDoesNotAnswerIsNeverReplaced() {
        EtcdVmCluster cluster = withUnhealthySince(cluster(M1, M2, M3), M2, NOW.minusSeconds(3600));
        HostObservation unreachable = HostObservation.unreachable("etcd-2", M2.getAddress(), null,
                Failure.of(Operation.HOST_PROBE, FailureReason.HostUnreachable, null, "connection timed out"));
        MembershipChange change = nextWithEtcd2Dead(cluster, unreachable);
        assertThat(change).isEqualTo(new None());
    }

    @Test
    void aVoterWithoutARecordedUnhealthySinceIsNotReplaced() {
        MembershipChange change = nextWithEtcd2Dead(cluster(M1, M2, M3), host(M2, RecordingObserver.freshMachine()));
        assertThat(change).isEqualTo(new None());
    }

    @Test
    void replacementIsOffWhenTheThresholdIsZero() {
        EtcdVmCluster cluster = withUnhealthySince(cluster(M1, M2, M3), M2, NOW.minusSeconds(86_400));
        cluster.getSpec().setReplaceFailedMemberAfterSeconds(0);
        MembershipChange change = nextWithEtcd2Dead(cluster, host(M2, RecordingObserver.freshMachine()));
        assertThat(change).isEqualTo(new None());
    }

    @Test
    void replacementDefaultsToThirtySeconds() {
        assertThat(cluster(M1).getSpec().getReplaceFailedMemberAfterSeconds()).isEqualTo(30);
    }

    @Test
    void replacementStillRespectsTheQuorumGuard() {
        // Two of three machines were rebuilt: removing one would leave 1 healthy of 2.
        EtcdVmCluster cluster = withUnhealthySince(withUnhealthySince(cluster(M1, M2, M3), M2, NOW.minusSeconds(60)),
                M3, NOW.minusSeconds(60));
        Hold hold = asHold(Planning.next(cluster,
                observed(etcd(leader("a1", M1), dead("a2", M2), dead("a3", M3)).etcd(),
                        host(M2, RecordingObserver.freshMachine()), host(M3, RecordingObserver.freshMachine())),
                NOW, HOST_READY));
        assertThat(hold.reason()).isEqualTo("QuorumGuard");
        assertThat(hold.refused()).isTrue();
        assertThat(hold.message()).contains("etcd-2");
    }

    // ---- quorum math ----

    @Test
    void quorumIsAStrictMajority() {
        assertThat(MemberMatch.quorum(1)).isEqualTo(1);
        assertThat(MemberMatch.quorum(2)).isEqualTo(2);
        assertThat(MemberMatch.quorum(3)).isEqualTo(2);
        assertThat(MemberMatch.quorum(4)).isEqualTo(3);
        assertThat(MemberMatch.quorum(5)).isEqualTo(3);
    }

    @Test
    void membersArePairedByPeerUrlNotByName() {
        MemberSpec newEtcd3 = new MemberSpec("etcd-3", "10.250.0.23");
        MemberMatch match = MemberMatch.of(cluster(M1, M2, newEtcd3),
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)).etcd());
        assertThat(match.paired()).extracting(MemberMatch.Paired::peerUrl).containsExactly(
                "https://10.250.0.11:2380", "https://10.250.0.12:2380", "https://10.250.0.23:2380");
        assertThat(match.paired().get(2).etcd()).isEmpty();
        assertThat(match.extras()).extracting(EtcdMemberView::id).containsExactly("a3");
        assertThat(match.voters()).extracting(EtcdMemberView::id).containsExactly("a1", "a2", "a3");
        assertThat(match.leader()).map(EtcdMemberView::id).contains("a1");
    }

    // ---- helpers ----

    private static MembershipChange next(EtcdVmCluster cluster, ObservedCluster observed) {
        return Planning.next(cluster, observed, NOW, HOST_READY);
    }

    private static Hold asHold(MembershipChange change) {
        assertThat(change).isInstanceOf(Hold.class);
        return (Hold) change;
    }

    private static EtcdVmCluster cluster(MemberSpec... members) {
        return Specs.cluster("c", "ns", Arrays.asList(members));
    }

    private static EtcdVmCluster withUnhealthySince(EtcdVmCluster cluster, MemberSpec member, Instant since) {
        if (cluster.getStatus() == null) {
            cluster.setStatus(new EtcdVmClusterStatus());
        }
        MemberStatus status = new MemberStatus();
        status.setName(member.getName());
        status.setAddress(member.getAddress());
        status.setPhase("Unhealthy");
        status.setHealthy(false);
        status.setUnhealthySince(since.toString());
        cluster.getStatus().getMembers().add(status);
        return cluster;
    }

    /** Just the etcd view; no machine observations. */
    private static ObservedCluster etcd(EtcdMemberView... members) {
        return observed(new EtcdView(Optional.of("abc"), List.of(members), List.of(), List.of(), true, Optional.empty()));
    }

    /** The pass's change when etcd-2 (a2) is a dead voter next to a healthy leader a1 and follower a3. */
    private static MembershipChange nextWithEtcd2Dead(EtcdVmCluster cluster, HostObservation... hosts) {
        return Planning.next(cluster,
                observed(etcd(leader("a1", M1), dead("a2", M2), follower("a3", M3)).etcd(), hosts), NOW, HOST_READY);
    }

    private static ObservedCluster observed(EtcdView etcd, HostObservation... hosts) {
        return new ObservedCluster(List.of(hosts), etcd);
    }

    private static HostObservation host(MemberSpec member, HostFacts facts) {
        return HostObservation.reachable(member.getName(), member.getAddress(), "SHA256:fp", facts);
    }

    private static HostFacts withMemberData(String memberId) {
        HostFacts f = RecordingObserver.freshMachine();
        return new HostFacts(f.arch(), f.systemd(), Optional.of("3.5.16"), 1, HostFacts.DataDir.MEMBER,
                Optional.of("uid-c"), Optional.of(memberId), Optional.empty(), "active", true, 1, f.portHolders(), f.diskFreeKiB(), f.files(), f.plannedRestartAt(), f.paths());
    }

    private static EtcdMemberView leader(String id, MemberSpec m) {
        return view(id, m, false, true, LEADER_INDEX, true);
    }

    private static EtcdMemberView follower(String id, MemberSpec m) {
        return view(id, m, false, true, LEADER_INDEX, false);
    }

    private static EtcdMemberView learner(String id, MemberSpec m, boolean healthy, Long raftIndex) {
        return view(id, m, true, healthy, raftIndex, false);
    }

    /** Listed by etcd, but its endpoint does not answer. */
    private static EtcdMemberView dead(String id, MemberSpec m) {
        return new EtcdMemberView(id, m.getName(), List.of(peerUrl(m)), List.of(clientUrl(m)), false, false, null,
                "context deadline exceeded", null, null, null, null, null, false);
    }

    /** Added as a learner whose process never published its name and client URLs. */
    private static EtcdMemberView neverStarted(String id, MemberSpec m) {
        return new EtcdMemberView(id, "", List.of(peerUrl(m)), List.of(), true, false, null, "connection refused",
                null, null, null, null, null, false);
    }

    private static EtcdMemberView view(String id, MemberSpec m, boolean learner, boolean healthy, Long raftIndex,
            boolean leader) {
        return new EtcdMemberView(id, m.getName(), List.of(peerUrl(m)), List.of(clientUrl(m)), learner, healthy,
                healthy ? 3L : null, healthy ? null : "unhealthy", "3.5.16", 20_480L, 16_384L, 2L, raftIndex, leader);
    }

    private static String peerUrl(MemberSpec m) {
        return "https://" + m.getAddress() + ":2380";
    }

    private static String clientUrl(MemberSpec m) {
        return "https://" + m.getAddress() + ":2379";
    }
}
