package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.api.v1alpha1.MaintenanceStatus;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.MaintenanceResult;
import dev.etcdvm.operator.reconciler.pass.Pass;
import java.util.List;
import java.util.Optional;

/**
 * The maintenance planner's one action of the pass (compaction, one member's defragmentation, the disarm), planned
 * only in a plan that changes nothing else, while no member waits for its planned restart.
 */
final class MaintenanceRule implements PlanRule {

    @Override
    public void add(Pass pass, PlanDraft plan) {
        if (pass.decision().mode() != Decision.Mode.CONVERGE) {
            return;
        }
        MaintenanceStatus before = pass.cluster().getStatus() == null ? null : pass.cluster().getStatus().getMaintenance();
        MaintenancePlanner.Plan next = MaintenancePlanner.next(pass.cluster(), pass.observed(), pass.now());
        Optional<String> busy = !pass.restartsPending().isEmpty() ? Optional.of("a member waits for its planned restart")
                : plan.actions().stream().anyMatch(MaintenanceRule::changesTheCluster)
                        ? Optional.of("something else changes this pass") : Optional.empty();
        if (next.action().isPresent() && busy.isPresent()) {
            // A round not started yet starts in a quiet pass; one under way says why it waits.
            plan.report(Effects.ofMaintenance(MaintenanceResult.waiting(before, busy.get()), List.of()));
            return;
        }
        MaintenanceStatus after = empty(next.next()) ? null : next.next();
        if (next.action().isEmpty()) {
            plan.report(Effects.ofMaintenance(new MaintenanceResult(after, Optional.empty(), next.waiting(),
                    Optional.empty()), MaintenanceResult.roundCompleted(before, after)));
            return;
        }
        plan.add(new Action.Maintain(next.action().get(), before, after));
    }

    /** Anything but a snapshot or a drill, which read the cluster without changing it. */
    private static boolean changesTheCluster(Action action) {
        return !(action instanceof Action.Snapshot) && !(action instanceof Action.Drill);
    }

    /** Nothing ever maintained: no status.maintenance at all. */
    private static boolean empty(MaintenanceStatus status) {
        return status.getRound() == null && status.getLastRound() == null && status.getLastMember() == null
                && status.getLastScheduledFor() == null && status.getRemaining().isEmpty();
    }
}
