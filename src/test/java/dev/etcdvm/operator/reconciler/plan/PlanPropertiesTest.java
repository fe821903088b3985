package dev.etcdvm.operator.reconciler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.decide.PlannerFacts;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.validation.EtcdVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The safety rules of whole plans, checked on generated passes: whatever etcd lists, however far each machine is
 * from its plan, whichever versions run, a plan never makes more than one membership change, never touches a member
 * twice, never acts on a machine without proving there that it is this cluster's, never restarts across more than
 * one minor version, plans nothing while the pass may not act, and keeps maintenance to quiet passes.
 * {@code make mutants} breaks each guard in turn and shows the matching property fail.
 */
class PlanPropertiesTest {
    private static final int TRIES = 1_000;
    private static final Map<String, AtomicInteger> CHECKED = new ConcurrentHashMap<>();

    @Property(tries = TRIES)
    void atMostOneMembershipChangePerPlan(@ForAll("passes") PlanSituation situation) {
        Plan plan = plan(situation, "one membership change");
        Statistics.collect(plan.mode(), plan.actions().stream().map(a -> a.getClass().getSimpleName()).sorted()
                .distinct().toList());
        long changes = plan.actions().stream()
                .filter(a -> a instanceof Action.ChangeMembership || a instanceof Action.HandOverLeadership).count();
        assertThat(changes).as("membership changes and leadership moves in " + plan.lines()).isLessThanOrEqualTo(1);
    }

    @Property(tries = TRIES)
    void neverTwoActionsOnOneMember(@ForAll("passesAndChanges") PlanSituation situation) {
        Plan plan = plan(situation, "one action per member");
        List<String> touched = new ArrayList<>();
        plan.actions().forEach(a -> touched.addAll(a.members()));
        assertThat(touched).as("members touched by " + plan.lines()).doesNotHaveDuplicates();
    }

    @Property(tries = TRIES)
    void everyActionOnAMachineProvesThereItIsThisClusters(@ForAll("passes") PlanSituation situation) {
        Plan plan = plan(situation, "ownership proven on the machine");
        for (Action action : plan.actions()) {
            if (!action.destructive() || action instanceof Action.ChangeMembership) {
                continue; // a removal changes etcd's member list, not a machine
            }
            for (String member : action.members()) {
                assertThat(action.preconditions()).as(action.line()).anySatisfy(p -> {
                    assertThat(p).isInstanceOf(Precondition.OnMachine.class);
                    Precondition.OnMachine on = (Precondition.OnMachine) p;
                    assertThat(on.member()).isEqualTo(member);
                    assertThat(on.clusterUid()).isEqualTo(PlannerFacts.UID);
                });
            }
        }
    }

    @Property(tries = TRIES)
    void aPassThatMayNotActPlansNothing(@ForAll("passes") PlanSituation situation) {
        Pass pass = situation.pass();
        Plan plan = plan(pass, "nothing planned unless acting");
        if (!pass.decision().mode().acts()) {
            assertThat(plan.actions()).as("a plan in " + pass.decision().mode() + ": " + pass.decision().reason())
                    .isEmpty();
        }
    }

    @Property(tries = TRIES)
    void aRestartNeverCrossesMoreThanOneMinorVersion(@ForAll("passesAndRollouts") PlanSituation situation) {
        Pass pass = situation.pass();
        Plan plan = plan(pass, "version steps of one minor");
        if (plan.actions().stream().anyMatch(a -> a instanceof Action.Restart || a instanceof Action.HandOverLeadership)) {
            int wanted = EtcdVersion.parse(PlanSituation.SPEC_VERSION).minor();
            for (EtcdMemberView m : pass.observed().etcd().members()) {
                int running = EtcdVersion.parse(m.version()).minor();
                assertThat(wanted - running).as(m.name() + " runs " + m.version()).isBetween(0, 1);
            }
        }
    }

    @Property(tries = TRIES)
    void aRestartWaitsForHealthAndForItsSnapshot(@ForAll("passesAndRollouts") PlanSituation situation) {
        Pass pass = situation.pass();
        Plan plan = plan(pass, "restarts only when healthy, after their snapshot");
        for (Action action : plan.actions()) {
            if (action instanceof Action.Restart || action instanceof Action.HandOverLeadership) {
                assertThat(pass.observed().etcd().members()).as("members at " + action.line())
                        .hasSize(pass.cluster().getSpec().getMembers().size()).allMatch(EtcdMemberView::healthy);
                assertThat(pass.observed().etcd().alarms()).isEmpty();
                boolean versionChange = pass.observed().etcd().members().stream()
                        .anyMatch(m -> !PlanSituation.SPEC_VERSION.equals(m.version()));
                if (versionChange && situation.backups()) {
                    assertThat(action.preconditions()).as(action.line()).contains(
                            new Precondition.SnapshotStored(SnapshotFirst.versionChange(PlanSituation.SPEC_VERSION)));
                }
            }
            if (action instanceof Action.ChangeMembership change && change.change() instanceof MembershipChange.Remove r
                    && situation.backups()) {
                assertThat(action.preconditions()).contains(new Precondition.SnapshotStored(SnapshotFirst.removal(r.name())));
            }
        }
    }

    @Property(tries = TRIES)
    void noRestartWhileTheMembershipIsChanging(@ForAll("passesAndRollouts") PlanSituation situation) {
        Pass pass = situation.pass();
        Plan plan = plan(pass, "no restart while the membership changes");
        if (!(pass.decision().change() instanceof MembershipChange.None)) {
            assertThat(plan.actions()).as(pass.decision().change().describe())
                    .noneMatch(a -> a instanceof Action.Restart || a instanceof Action.HandOverLeadership);
        }
    }

    @Property(tries = TRIES)
    void maintenanceOnlyInAPlanThatChangesNothingElse(@ForAll("passes") PlanSituation situation) {
        Plan plan = plan(situation, "maintenance alone");
        if (plan.actions().stream().anyMatch(a -> a instanceof Action.Maintain)) {
            // Reading the cluster (a snapshot, a drill) and stopping a machine etcd no longer lists change no member.
            assertThat(plan.actions()).as(plan.lines().toString()).allMatch(a -> a instanceof Action.Maintain
                    || a instanceof Action.Snapshot || a instanceof Action.Drill || a instanceof Action.Retire);
        }
    }

    @AfterContainer
    static void printTries() {
        System.out.println("plan properties: " + CHECKED.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue() + " tries").toList());
    }

    /** The planner's situations, with machines near their plans and versions one minor apart or more. */
    @Provide
    Arbitrary<PlanSituation> passes() {
        Arbitrary<PlannerFacts> base = PlannerFacts.situations();
        Arbitrary<List<PlanSituation.Shape>> shapes = Arbitraries.frequency(
                Tuple.of(6, PlanSituation.Shape.IN_SHAPE), Tuple.of(2, PlanSituation.Shape.OLDER_BINARY),
                Tuple.of(1, PlanSituation.Shape.STALE_FILES)).list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<String> running = Arbitraries.frequency(Tuple.of(6, PlanSituation.SPEC_VERSION),
                Tuple.of(2, "3.4.23"), Tuple.of(1, "3.3.27"));
        return Combinators.combine(base, shapes, running, Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)), Arbitraries.integers().between(0, 2))
                .as(PlanSituation::new);
    }

    /** The usual passes, and as many rollouts: every member a voter, several due a restart, one of them maybe sick. */
    @Provide
    Arbitrary<PlanSituation> passesAndRollouts() {
        Arbitrary<PlannerFacts.MemberFacts> voter = Arbitraries.frequency(Tuple.of(6, PlannerFacts.EtcdState.VOTER),
                Tuple.of(1, PlannerFacts.EtcdState.VOTER_SICK), Tuple.of(1, PlannerFacts.EtcdState.VOTER_SLOW))
                .map(state -> new PlannerFacts.MemberFacts(state, true, true));
        Arbitrary<PlannerFacts> cluster = Combinators.combine(voter.list().ofMinSize(1).ofMaxSize(5),
                Arbitraries.integers().between(0, 5), Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)))
                .as((members, leader, alarm) -> new PlannerFacts(members, List.of(), leader, true, alarm, false, false));
        Arbitrary<List<PlanSituation.Shape>> shapes = Arbitraries.frequency(Tuple.of(2, PlanSituation.Shape.IN_SHAPE),
                Tuple.of(3, PlanSituation.Shape.OLDER_BINARY)).list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<PlanSituation> rollouts = Combinators.combine(cluster, shapes,
                Arbitraries.of(PlanSituation.SPEC_VERSION, "3.4.23", "3.3.27"), Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as((c, s, running, backups, recorded) ->
                        new PlanSituation(c, s, running, backups, recorded, false, 0));
        return Arbitraries.oneOf(passes(), rollouts);
    }

    /**
     * The usual passes, and as many in which a learner is due its promotion (or a member its removal) while machines
     * are often off their plan: where a change and a provisioning could meet on one member.
     */
    @Provide
    Arbitrary<PlanSituation> passesAndChanges() {
        Arbitrary<PlannerFacts.MemberFacts> member = Arbitraries.frequency(Tuple.of(4, PlannerFacts.EtcdState.VOTER),
                Tuple.of(1, PlannerFacts.EtcdState.LEARNER_CAUGHT_UP)).map(s -> new PlannerFacts.MemberFacts(s, true, true));
        Arbitrary<PlannerFacts> cluster = Combinators.combine(member.list().ofMinSize(2).ofMaxSize(5),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.<PlannerFacts.EtcdState>of())),
                        Tuple.of(1, Arbitraries.just(List.of(PlannerFacts.EtcdState.VOTER)))),
                Arbitraries.integers().between(0, 5))
                .as((members, dropped, leader) -> new PlannerFacts(members, dropped, leader, true, false, false, false));
        Arbitrary<List<PlanSituation.Shape>> shapes = Arbitraries.frequency(Tuple.of(1, PlanSituation.Shape.IN_SHAPE),
                Tuple.of(1, PlanSituation.Shape.STALE_FILES)).list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<PlanSituation> changes = Combinators.combine(cluster, shapes, Arbitraries.of(true, false))
                .as((c, s, backups) -> new PlanSituation(c, s, PlanSituation.SPEC_VERSION, backups, false, false, 0));
        return Arbitraries.oneOf(passes(), changes);
    }

    private static Plan plan(PlanSituation situation, String property) {
        return plan(situation.pass(), property);
    }

    private static Plan plan(Pass pass, String property) {
        CHECKED.computeIfAbsent(property, p -> new AtomicInteger()).incrementAndGet();
        return PassPlanner.plan(pass);
    }
}
