package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pass's one membership change, with what it relies on when it is made: a joiner's machine probed in shape this
 * pass and its certificate covering its peer URL (a voter with a wrong peer URL can break quorum for good), a snapshot
 * before a removal, and the spec still the one decided on. A change whose member's machine this plan provisions waits
 * for a pass in which it does not. A change held back is reported, not planned.
 */
final class MembershipRule implements PlanRule {

    @Override
    public void add(Pass pass, PlanDraft plan) {
        MembershipChange change = pass.decision().change();
        if (change instanceof MembershipChange.None) {
            return;
        }
        Pace whileHeld = pass.match().settled() ? Pace.STEADY : Pace.WAITING;
        if (change instanceof MembershipChange.Hold hold) {
            List<Announcement> told = hold.refused() && !hold.message().equals(previousProgressingMessage(pass.cluster()))
                    ? List.of(new Announcement(EventReason.MembershipChangeRefused, hold.message())) : List.of();
            plan.report(Effects.ofMembership(MembershipResult.held(hold), hold.refused() ? Pace.PROBLEM : whileHeld,
                    told));
            return;
        }
        Optional<String> notReady = change instanceof MembershipChange.AddLearner add
                ? JoinCheck.problem(add, pass.drift(add.member().getName()), pass.tls())
                : provisionedNow(plan, change).map(m -> change.describe() + " waits until " + m + "'s machine is in shape");
        if (notReady.isPresent()) {
            plan.report(Effects.ofMembership(MembershipResult.held(new MembershipChange.Hold(
                    ConditionReason.WaitingForHost.name(), notReady.get(), false)), whileHeld, List.of()));
            return;
        }
        List<Precondition> preconditions = new ArrayList<>();
        if (change instanceof MembershipChange.Remove remove && pass.cluster().getSpec().getBackup() != null) {
            preconditions.add(new Precondition.SnapshotStored(SnapshotFirst.removal(remove.name())));
        }
        preconditions.add(new Precondition.SpecUnchanged());
        plan.add(new Action.ChangeMembership(change, whileHeld, preconditions));
    }

    /** The member of the change whose machine this plan provisions: the change waits for a pass in which it is not. */
    private static Optional<String> provisionedNow(PlanDraft plan, MembershipChange change) {
        List<String> touched = Action.ChangeMembership.membersOf(change);
        return plan.actions().stream().filter(a -> a instanceof Action.Provision).flatMap(a -> a.members().stream())
                .filter(touched::contains).findFirst();
    }

    private static String previousProgressingMessage(EtcdVmCluster cluster) {
        return cluster.getStatus() == null ? null : Conditions.find(cluster.getStatus().getConditions(),
                ConditionType.Progressing).map(c -> c.getMessage()).orElse(null);
    }
}
