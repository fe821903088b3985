package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MachineDrift;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.decide.ClusterVersion;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.decide.PlannedRestarts;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Planned restarts (a new binary, configuration, unit or trusted CA) roll one member per pass: followers first,
 * the leader last, after leadership was handed to a caught-up follower, so a rollout costs no unplanned election.
 * A restart is planned only while every member is healthy and caught up with the leader, and never in a pass that
 * changes the membership, so a rolling change never costs quorum. Which members need one is read from the probe
 * ({@link MachineDrift}), the same facts the provisioner acts on.
 */
final class RestartRule implements PlanRule {
    /** Raft entries a member may trail the leader by and still count as caught up after its restart. */
    static final long MAX_LAG = 1000;

    @Override
    public void add(Pass pass, PlanDraft plan) {
        if (pass.decision().mode() != Decision.Mode.CONVERGE
                || !(pass.decision().change() instanceof MembershipChange.None)) {
            return;
        }
        List<MemberMatch.Paired> due = pass.match().paired().stream()
                .filter(p -> p.etcd().isPresent() && restartDue(pass, p.spec().getName())).toList();
        if (due.isEmpty() || !readyForRestart(pass)) {
            // A member still coming back from its planned restart, or etcd about to raise its cluster version
            // after the last one, is looked at again soon, so the next step (or the rollout's end) is seen
            // when it happens; anything else waits its usual turn.
            if (comingBack(pass) || ClusterVersion.behind(pass.cluster(), pass.observed().etcd())) {
                plan.report(Effects.NONE.waiting());
            }
            return;
        }
        String version = pass.cluster().getSpec().getVersion();
        boolean versionChange = pass.match().paired().stream()
                .anyMatch(p -> p.etcd().map(e -> e.version() != null && !e.version().equals(version)).orElse(false));
        List<Precondition> before = new ArrayList<>();
        if (versionChange && pass.cluster().getSpec().getBackup() != null) {
            before.add(new Precondition.SnapshotStored(SnapshotFirst.versionChange(version)));
        }
        Optional<MemberMatch.Paired> follower = due.stream().filter(p -> !p.etcd().get().leader()).findFirst();
        if (follower.isPresent() || pass.match().voters().size() == 1) {
            MemberMatch.Paired next = follower.orElse(due.get(0));
            String name = next.spec().getName();
            MemberPlan memberPlan = pass.decision().provision().get(name);
            before.add(new Precondition.OnMachine(name, memberPlan.clusterUid(), Optional.of(next.etcd().get().id())));
            plan.add(new Action.Restart(memberPlan, facts(pass, name).orElseThrow(), before));
            return;
        }
        MemberMatch.Paired leader = due.get(0);
        EtcdMemberView to = pass.match().healthyVoters().stream().filter(v -> !v.leader())
                .max(Comparator.comparingLong(EtcdMemberView::raftIndex)).orElseThrow();
        plan.add(new Action.HandOverLeadership(new MembershipChange.MoveLeader(leader.spec().getName(), to.name(),
                to.id()), before));
    }

    /**
     * Running on files or a binary older than its plan's, with nothing left for provisioning to do there: a machine
     * still being brought in line is restarted in a later pass, never in the one that writes its files.
     */
    private static boolean restartDue(Pass pass, String member) {
        return pass.drift(member).filter(d -> d.restartPending() && !d.provisioningNeeded()).isPresent();
    }

    private static Optional<HostFacts> facts(Pass pass, String member) {
        return pass.observed().host(member).flatMap(HostObservation::facts);
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

    /** A member restarted on purpose within the deadline that does not serve, or has not caught up, yet. */
    private static boolean comingBack(Pass pass) {
        Optional<Long> leaderIndex = pass.match().leader().map(EtcdMemberView::raftIndex);
        return pass.match().paired().stream()
                .filter(p -> p.etcd().map(e -> !e.healthy() || !caughtUp(e, leaderIndex)).orElse(false))
                .flatMap(p -> facts(pass, p.spec().getName()).stream())
                .anyMatch(f -> PlannedRestarts.onSchedule(f, pass.now(), PlannedRestarts.deadline(pass.cluster())));
    }

    private static boolean caughtUp(EtcdMemberView member, Optional<Long> leaderIndex) {
        return leaderIndex.isPresent() && member.raftIndex() != null && leaderIndex.get() - member.raftIndex() <= MAX_LAG;
    }
}
