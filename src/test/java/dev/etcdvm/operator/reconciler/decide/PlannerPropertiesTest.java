package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.support.Planning;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The safety rules of the planners, checked on generated situations rather than on the ones a test author thought
 * of: whatever etcd lists, whichever machines answer, the decision never makes a change that could cost the quorum,
 * never adds a voter's worth of risk while a voter is sick, never acts while paused or while another cluster's id
 * answers. {@code make mutants} breaks each guard in turn and shows the matching property fail.
 */
class PlannerPropertiesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final int TRIES = 1_000;
    private static final Map<String, AtomicInteger> CHECKED = new java.util.concurrent.ConcurrentHashMap<>();

    @Property(tries = TRIES)
    void aMembershipChangeIsOnlyPlannedWhenThePassMayAct(@ForAll("situations") PlannerFacts facts) {
        Decision decision = decide(facts, "changes only when acting");
        // The distribution jqwik prints shows every kind of decision is reached, so no property holds vacuously.
        Statistics.collect(decision.mode(), decision.change().getClass().getSimpleName());
        if (changes(decision.change())) {
            assertThat(decision.mode()).isEqualTo(Decision.Mode.CONVERGE);
        }
        if (!decision.mode().acts()) {
            assertThat(decision.provision()).as("machines provisioned in " + decision.mode()).isEmpty();
            assertThat(changes(decision.change())).as("a membership change in " + decision.mode()).isFalse();
        }
    }

    @Property(tries = TRIES)
    void neverAVotersRemovalBelowQuorum(@ForAll("situationsAndRemovals") PlannerFacts facts) {
        Decision decision = decide(facts, "no removal below quorum");
        if (decision.change() instanceof MembershipChange.Remove remove) {
            List<EtcdMemberView> members = facts.observed().etcd().members();
            EtcdMemberView removed = member(members, remove.id());
            if (removed.learner()) {
                return; // a learner casts no vote: removing it never changes what a quorum needs
            }
            int votersAfter = (int) members.stream().filter(m -> !m.learner()).count() - 1;
            long healthyAfter = members.stream().filter(m -> !m.learner() && m.healthy() && !m.id().equals(remove.id()))
                    .count();
            assertThat(votersAfter).as("voting members left").isPositive();
            assertThat(healthyAfter).as("healthy voting members left of " + votersAfter)
                    .isGreaterThanOrEqualTo(MemberMatch.quorum(votersAfter));
        }
    }

    @Property(tries = TRIES)
    void aLearnerIsAddedOnlyBesideHealthyVotersAndNoOtherLearner(@ForAll("situations") PlannerFacts facts) {
        Decision decision = decide(facts, "one learner, healthy voters");
        if (decision.change() instanceof MembershipChange.AddLearner) {
            List<EtcdMemberView> members = facts.observed().etcd().members();
            assertThat(members.stream().filter(m -> !m.learner())).as("voters").allMatch(EtcdMemberView::healthy);
            assertThat(members).as("learners already there").noneMatch(EtcdMemberView::learner);
            assertThat(facts.observed().etcd().alarms()).isEmpty();
        }
    }

    @Property(tries = TRIES)
    void onlyAStartedCaughtUpLearnerIsPromotedAndOnlyBesideHealthyVoters(@ForAll("situations") PlannerFacts facts) {
        Decision decision = decide(facts, "promotion of a caught-up learner");
        if (decision.change() instanceof MembershipChange.Promote promote) {
            List<EtcdMemberView> members = facts.observed().etcd().members();
            EtcdMemberView learner = member(members, promote.id());
            assertThat(learner.learner() && learner.healthy() && !MemberMatch.neverStarted(learner)).isTrue();
            long leaderIndex = members.stream().filter(EtcdMemberView::leader).findFirst().orElseThrow().raftIndex();
            assertThat(leaderIndex - learner.raftIndex()).isLessThanOrEqualTo(MembershipPlanner.CAUGHT_UP_LAG);
            assertThat(members.stream().filter(m -> !m.learner())).allMatch(EtcdMemberView::healthy);
        }
    }

    /** Every one of the generator's 372 cases is tried (jqwik goes exhaustive below {@link #TRIES}). */
    @Property(tries = TRIES)
    void leadershipMovesOnlyFromTheLeaderToAHealthyVoter(@ForAll("leaderLeaving") PlannerFacts facts) {
        Decision decision = decide(facts, "leadership to a healthy voter");
        if (decision.change() instanceof MembershipChange.MoveLeader move) {
            List<EtcdMemberView> members = facts.observed().etcd().members();
            EtcdMemberView to = member(members, move.toId());
            assertThat(to.learner()).isFalse();
            assertThat(to.healthy()).as("the new leader's health").isTrue();
            assertThat(members.stream().filter(EtcdMemberView::leader).map(MemberMatch::nameOf))
                    .containsExactly(move.fromName());
        }
    }

    @Property(tries = TRIES)
    void nothingIsDoneWhileAnotherClustersIdAnswersOrTheClusterIsPaused(@ForAll("situations") PlannerFacts facts) {
        Decision decision = decide(facts, "frozen or paused does nothing");
        if (!facts.observed().etcd().foreignClusterIds().isEmpty()) {
            assertThat(decision.mode()).isEqualTo(Decision.Mode.FREEZE);
        }
        if (facts.paused()) {
            assertThat(decision.mode().acts()).as("acting in " + decision.mode() + " while paused").isFalse();
        }
    }

    @Property(tries = TRIES)
    void onlyMachinesThatAnsweredAreProvisioned(@ForAll("situations") PlannerFacts facts) {
        Decision decision = decide(facts, "only probed machines provisioned");
        ObservedCluster observed = facts.observed();
        for (String member : decision.provision().keySet()) {
            assertThat(observed.host(member).map(h -> h.isReachable()).orElse(false)).as(member + " answered").isTrue();
        }
    }

    @AfterContainer
    static void printTries() {
        System.out.println("planner properties: " + CHECKED.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue() + " tries").toList());
    }

    /**
     * Situations weighted towards formed clusters with one thing different (a voter sick, a member missing, a
     * learner joining, a member the spec dropped), so every kind of change is reached; see the distribution printed.
     */
    @Provide
    Arbitrary<PlannerFacts> situations() {
        return PlannerFacts.situations();
    }

    /** The usual situations, and as many in which a removal could cost the quorum. */
    @Provide
    Arbitrary<PlannerFacts> situationsAndRemovals() {
        return Arbitraries.oneOf(PlannerFacts.situations(), PlannerFacts.removals());
    }

    /** A member the spec dropped, often the leader, beside spec voters some of which are sick. */
    @Provide
    Arbitrary<PlannerFacts> leaderLeaving() {
        Arbitrary<PlannerFacts.MemberFacts> voter = Arbitraries.frequency(Tuple.of(3, PlannerFacts.EtcdState.VOTER),
                Tuple.of(1, PlannerFacts.EtcdState.VOTER_SICK)).map(s -> new PlannerFacts.MemberFacts(s, true, true));
        return Combinators.combine(voter.list().ofMinSize(1).ofMaxSize(5), Arbitraries.integers().between(0, 5))
                .as((members, leader) -> new PlannerFacts(members, List.of(PlannerFacts.EtcdState.VOTER), leader, true,
                        false, false, false));
    }

    private static Decision decide(PlannerFacts facts, String property) {
        CHECKED.computeIfAbsent(property, p -> new AtomicInteger()).incrementAndGet();
        EtcdVmCluster cluster = facts.cluster();
        Map<String, MemberPlan> plans = Planning.founders(cluster, PlannerFacts.UID);
        return Planning.decide(cluster, facts.observed(), plans, NOW);
    }

    private static EtcdMemberView member(List<EtcdMemberView> members, String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    private static boolean changes(MembershipChange change) {
        return !(change instanceof MembershipChange.None) && !(change instanceof MembershipChange.Hold);
    }
}
