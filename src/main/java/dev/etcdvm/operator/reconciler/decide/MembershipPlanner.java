package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.decide.MemberMatch.Paired;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Picks the single membership change of a pass, following etcd's runtime reconfiguration guide: new
 * machines join as learners and are promoted once caught up; planned changes add before they remove,
 * so fault tolerance never drops; a dead member is removed before its replacement is added, because a
 * new voter next to a dead one raises the quorum the survivors must reach. Pure: every rule is unit
 * tested, and each pass decides afresh from the member list it just read (a lease is not a fence, and
 * a MemberAdd that timed out may still have been committed).
 */
public final class MembershipPlanner {
    /** Raft entries a learner may trail the leader by and still count as caught up; etcd checks again. */
    static final long CAUGHT_UP_LAG = 100;

    private MembershipPlanner() {
    }

    /**
     * @param hostReady whether a spec member's machine is installed and fit to join now
     */
    public static MembershipChange next(EtcdVmCluster cluster, ObservedCluster observed, MemberMatch match,
            Instant now, Predicate<MemberSpec> hostReady) {
        if (!observed.etcd().available()) {
            return MembershipChange.waiting(ConditionReason.EtcdUnavailable.name(), "etcd cannot be asked for its member list: "
                    + observed.etcd().error().orElse("unknown error"));
        }
        if (!observed.etcd().alarmProblems().isEmpty()) {
            return MembershipChange.waiting(ConditionReason.AlarmActive.name(), "membership changes wait while alarms are active: "
                    + String.join(", ", observed.etcd().alarmProblems()));
        }
        // Removals that can only help come first: a learner, or a dead voter the spec no longer wants (even
        // while a learner catches up: promoting it adds a voter, and a dead one must go before that).
        Optional<MembershipChange> step = removeDroppedLearner(match)
                .or(() -> replaceFailed(cluster, observed, match, now))
                .or(() -> removeDead(match))
                .or(() -> promoteLearner(match))
                .or(() -> add(match, hostReady))
                .or(() -> removeHealthy(match));
        return step.orElseGet(MembershipChange.None::new);
    }

    /** A learner the spec no longer lists costs no vote: it goes at once. */
    private static Optional<MembershipChange> removeDroppedLearner(MemberMatch match) {
        return match.extras().stream().filter(EtcdMemberView::learner).findFirst()
                .map(l -> new MembershipChange.Remove(MemberMatch.nameOf(l), l.id(), "a learner the spec no longer lists"));
    }

    /** A learner the spec wants is promoted once caught up, before any other planned change. */
    private static Optional<MembershipChange> promoteLearner(MemberMatch match) {
        for (Paired p : match.paired()) {
            if (p.etcd().isEmpty() || !p.etcd().get().learner()) {
                continue;
            }
            EtcdMemberView learner = p.etcd().get();
            String name = p.spec().getName();
            if (MemberMatch.neverStarted(learner)) {
                return Optional.of(MembershipChange.waiting(ConditionReason.LearnerJoining.name(), name + " was added as a learner and is starting"));
            }
            List<EtcdMemberView> sick = unhealthy(match.voters());
            if (!sick.isEmpty()) {
                return Optional.of(MembershipChange.waiting(ConditionReason.MembersNotHealthy.name(), "promoting " + name
                        + " waits until every voting member is healthy; not healthy: " + names(sick)));
            }
            Optional<Long> leaderIndex = match.leader().map(EtcdMemberView::raftIndex);
            boolean caughtUp = learner.healthy() && learner.raftIndex() != null && leaderIndex.isPresent()
                    && leaderIndex.get() - learner.raftIndex() <= CAUGHT_UP_LAG;
            if (!caughtUp) {
                return Optional.of(MembershipChange.waiting(ConditionReason.LearnerCatchingUp.name(), name + " is catching up with the leader"
                        + " (raft index " + learner.raftIndex() + " of " + leaderIndex.orElse(null) + ")"));
            }
            return Optional.of(new MembershipChange.Promote(name, learner.id()));
        }
        return Optional.empty();
    }

    /**
     * A voting member unhealthy past the threshold whose machine answers but holds no data for it (the
     * machine was rebuilt): remove it, and the add rule re-adds the machine as a learner. A machine that
     * does not answer is only down; replacing it would flap on every reboot.
     */
    private static Optional<MembershipChange> replaceFailed(EtcdVmCluster cluster, ObservedCluster observed,
            MemberMatch match, Instant now) {
        return lostMembers(cluster, observed, match).stream()
                .filter(l -> !l.dueAt(cluster).isAfter(now)).findFirst()
                .map(l -> removeIfQuorumHolds(match, l.member().etcd().get(), l.member().spec().getName(),
                        "its machine answers but holds no data for it; it is re-added as a learner next"));
    }

    /** When the next member that lost its data becomes due for replacement, so a pass is scheduled then. */
    static Optional<Instant> nextReplacement(EtcdVmCluster cluster, ObservedCluster observed, MemberMatch match) {
        if (!observed.etcd().available()) {
            return Optional.empty();
        }
        return lostMembers(cluster, observed, match).stream()
                .map(l -> l.dueAt(cluster)).min(Instant::compareTo);
    }

    /** A voter whose machine answers without its data, unhealthy since {@code since}. */
    private record LostMember(Paired member, Instant since) {
        Instant dueAt(EtcdVmCluster cluster) {
            return since.plusSeconds(cluster.getSpec().getReplaceFailedMemberAfterSeconds());
        }
    }

    private static List<LostMember> lostMembers(EtcdVmCluster cluster, ObservedCluster observed, MemberMatch match) {
        if (cluster.getSpec().getReplaceFailedMemberAfterSeconds() <= 0) {
            return List.of();
        }
        List<LostMember> lost = new ArrayList<>();
        for (Paired p : match.paired()) {
            if (p.etcd().isEmpty() || p.etcd().get().learner() || p.etcd().get().healthy()) {
                continue;
            }
            Optional<HostFacts> facts = observed.host(p.spec().getName()).flatMap(HostObservation::facts);
            boolean dataGone = facts.map(f -> !f.hasMemberData()
                    || f.memberId().map(id -> !id.equals(p.etcd().get().id())).orElse(false)).orElse(false);
            Optional<Instant> since = unhealthySince(cluster, p.spec());
            if (dataGone && since.isPresent()) {
                lost.add(new LostMember(p, since.get()));
            }
        }
        return lost;
    }

    /** Members the spec dropped that are dead go first: removing them can only make quorum easier. */
    private static Optional<MembershipChange> removeDead(MemberMatch match) {
        return match.extras().stream().filter(e -> !e.healthy()).findFirst()
                .map(e -> removeIfQuorumHolds(match, e, MemberMatch.nameOf(e), "the spec no longer lists it"));
    }

    /** Planned additions, one learner at a time, only into a cluster whose voters are all healthy. */
    private static Optional<MembershipChange> add(MemberMatch match, Predicate<MemberSpec> hostReady) {
        Optional<Paired> missing = match.paired().stream().filter(p -> p.etcd().isEmpty()).findFirst();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        MemberSpec member = missing.get().spec();
        List<EtcdMemberView> sick = unhealthy(match.voters());
        if (!sick.isEmpty()) {
            return Optional.of(MembershipChange.waiting(ConditionReason.MembersNotHealthy.name(), "adding " + member.getName()
                    + " waits until every voting member is healthy; not healthy: " + names(sick)));
        }
        if (!hostReady.test(member)) {
            return Optional.of(MembershipChange.waiting(ConditionReason.WaitingForHost.name(), "adding " + member.getName()
                    + " waits until its machine is reachable and installed"));
        }
        return Optional.of(new MembershipChange.AddLearner(member, missing.get().peerUrl()));
    }

    /** Healthy members the spec dropped: leadership moves away first, then the quorum guard decides. */
    private static Optional<MembershipChange> removeHealthy(MemberMatch match) {
        Optional<EtcdMemberView> leaving = match.extras().stream().findFirst();
        if (leaving.isEmpty()) {
            return Optional.empty();
        }
        EtcdMemberView member = leaving.get();
        MembershipChange removal = removeIfQuorumHolds(match, member, MemberMatch.nameOf(member), "the spec no longer lists it");
        if (member.leader() && removal instanceof MembershipChange.Remove) {
            Optional<Paired> successor = match.paired().stream()
                    .filter(p -> p.etcd().map(e -> !e.learner() && e.healthy()).orElse(false)).findFirst();
            if (successor.isPresent()) {
                return Optional.of(new MembershipChange.MoveLeader(MemberMatch.nameOf(member),
                        successor.get().spec().getName(), successor.get().etcd().get().id()));
            }
        }
        return Optional.of(removal);
    }

    /** Refuses a removal after which the healthy voters left could not form a quorum of the voters left. */
    static MembershipChange removeIfQuorumHolds(MemberMatch match, EtcdMemberView member, String name, String why) {
        int votersAfter = match.voters().size() - (member.learner() ? 0 : 1);
        long healthyAfter = match.healthyVoters().stream().filter(v -> !v.id().equals(member.id())).count();
        if (!member.learner() && votersAfter == 0) {
            return MembershipChange.refused(ConditionReason.QuorumGuard.name(), "refusing to remove " + name
                    + ": it is the last voting member");
        }
        if (healthyAfter < MemberMatch.quorum(votersAfter)) {
            return MembershipChange.refused(ConditionReason.QuorumGuard.name(), "refusing to remove " + name + ": " + healthyAfter
                    + " healthy voting members would remain of " + votersAfter + ", and quorum needs "
                    + MemberMatch.quorum(votersAfter));
        }
        return new MembershipChange.Remove(name, member.id(), why);
    }

    private static Optional<Instant> unhealthySince(EtcdVmCluster cluster, MemberSpec member) {
        if (cluster.getStatus() == null) {
            return Optional.empty();
        }
        return cluster.getStatus().getMembers().stream()
                .filter(s -> member.getName().equals(s.getName()) && member.getAddress().equals(s.getAddress()))
                .map(MemberStatus::getUnhealthySince).filter(s -> s != null).findFirst().map(Instant::parse);
    }

    private static List<EtcdMemberView> unhealthy(List<EtcdMemberView> members) {
        return members.stream().filter(m -> !m.healthy()).toList();
    }

    private static String names(List<EtcdMemberView> members) {
        return members.stream().map(MemberMatch::nameOf).collect(Collectors.joining(", "));
    }
}
