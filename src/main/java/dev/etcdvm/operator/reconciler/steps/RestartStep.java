package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.decide.ClusterVersion;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.decide.PlannedRestarts;
import dev.etcdvm.operator.reconciler.etcdapi.MembershipActions;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Planned restarts (a new binary, configuration, unit or trusted CA) roll one member per pass: followers
 * first, the leader last, after leadership was handed to a caught-up follower, so a rollout costs no
 * unplanned election. Each restart waits until every member is healthy and caught up with the leader,
 * and never happens in a pass that changes the membership, so a rolling change never costs quorum.
 */
public final class RestartStep implements Step {
    /** Raft entries a member may trail the leader by and still count as caught up after its restart. */
    static final long MAX_LAG = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(RestartStep.class);

    private final HostActions machines;
    private final MembershipActions membership;
    private final Failpoints failpoints;

    public RestartStep(HostActions machines, MembershipActions membership, Failpoints failpoints) {
        this.machines = machines;
        this.membership = membership;
        this.failpoints = failpoints;
    }

    @Override
    public StepOutcome run(Pass pass) {
        if (!(pass.decision().change() instanceof MembershipChange.None)) {
            return StepOutcome.nothingToDo();
        }
        List<MemberMatch.Paired> due = pass.match().paired().stream()
                .filter(p -> p.etcd().isPresent() && restartPending(pass, p.spec().getName()))
                .filter(p -> pass.decision().provision().containsKey(p.spec().getName())
                        && pass.observed().host(p.spec().getName()).flatMap(HostObservation::facts).isPresent())
                .toList();
        if (due.isEmpty() || !readyForRestart(pass)) {
            // A member still coming back from its planned restart, or etcd about to raise its cluster version
            // after the last one, is looked at again soon, so the next step (or the rollout's end) is seen
            // when it happens; anything else waits its usual turn.
            return comingBack(pass) || ClusterVersion.behind(pass.cluster(), pass.observed().etcd())
                    ? StepOutcome.next(Effects.NONE.waiting()) : StepOutcome.nothingToDo();
        }
        String version = pass.cluster().getSpec().getVersion();
        boolean versionChange = pass.match().paired().stream()
                .anyMatch(p -> p.etcd().map(e -> e.version() != null && !e.version().equals(version)).orElse(false));
        if (versionChange && SnapshotFirst.waiting(pass.cluster(), pass.effects().backup(),
                SnapshotFirst.versionChange(version))) {
            return StepOutcome.nothingToDo(); // the backup step retries the snapshot on its own backoff
        }
        Optional<MemberMatch.Paired> follower = due.stream().filter(p -> !p.etcd().get().leader()).findFirst();
        if (follower.isPresent() || pass.match().voters().size() == 1) {
            MemberMatch.Paired next = follower.orElse(due.get(0));
            String name = next.spec().getName();
            HostResult restarted = machines.restart(pass.hosts(), pass.decision().provision().get(name),
                    pass.observed().host(name).flatMap(HostObservation::facts).orElseThrow());
            Effects effects = Effects.ofHosts(List.of(restarted));
            if (restarted.failure().isEmpty()) {
                failpoints.reached(Failpoints.Point.AFTER_RESTART);
            }
            return StepOutcome.next(restarted.failure().isPresent() ? effects : effects.plus(Effects.paced(Pace.SOON,
                    List.of(new Announcement(EventReason.MemberRestarted, "restarted " + next.spec().getName()
                            + " for its new binary or configuration")))));
        }
        return handOverLeadership(pass, due.get(0));
    }

    /** Every member healthy, and within {@link #MAX_LAG} entries of the leader; no alarm raised (or unknown). */
    private static boolean readyForRestart(Pass pass) {
        List<EtcdMemberView> members = pass.observed().etcd().members();
        if (members.size() != pass.cluster().getSpec().getMembers().size()
                || !members.stream().allMatch(EtcdMemberView::healthy)
                || !pass.observed().etcd().alarmProblems().isEmpty()) {
            return false;
        }
        Optional<Long> leaderIndex = pass.match().leader().map(EtcdMemberView::raftIndex);
        return members.stream().allMatch(m -> caughtUp(m, leaderIndex));
    }

    /** The leader's turn: first leadership goes to the follower furthest along; the restart waits a pass. */
    private StepOutcome handOverLeadership(Pass pass, MemberMatch.Paired leader) {
        EtcdMemberView to = pass.match().healthyVoters().stream().filter(v -> !v.leader())
                .max(Comparator.comparingLong(EtcdMemberView::raftIndex)).orElseThrow();
        MembershipChange.MoveLeader move = new MembershipChange.MoveLeader(leader.spec().getName(), to.name(), to.id());
        try {
            String done = membership.apply(pass.cluster(), pass.tls(), move);
            LOG.info("{} before restarting it", done);
            return StepOutcome.next(Effects.paced(Pace.SOON,
                    List.of(new Announcement(EventReason.LeadershipMoved, done + " before restarting it"))));
        } catch (FailureException e) {
            LOG.warn("{}", e.failure().message());
            return StepOutcome.next(Effects.paced(Pace.PROBLEM, List.of()));
        }
    }

    /** A member restarted on purpose within the deadline that does not serve, or has not caught up, yet. */
    private static boolean comingBack(Pass pass) {
        Optional<Long> leaderIndex = pass.match().leader().map(EtcdMemberView::raftIndex);
        return pass.match().paired().stream()
                .filter(p -> p.etcd().map(e -> !e.healthy() || !caughtUp(e, leaderIndex)).orElse(false))
                .flatMap(p -> pass.observed().host(p.spec().getName()).flatMap(HostObservation::facts).stream())
                .anyMatch(f -> PlannedRestarts.onSchedule(f, pass.now(), PlannedRestarts.deadline(pass.cluster())));
    }

    private static boolean caughtUp(EtcdMemberView member, Optional<Long> leaderIndex) {
        return leaderIndex.isPresent() && member.raftIndex() != null && leaderIndex.get() - member.raftIndex() <= MAX_LAG;
    }

    private static boolean restartPending(Pass pass, String member) {
        return Optional.ofNullable(pass.effects().hosts().get(member)).flatMap(HostResult::outcome)
                .map(HostOutcome::restartPending).orElse(false);
    }
}
