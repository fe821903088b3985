package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.MaintenanceStatus;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.etcdapi.MaintenanceActions;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.MaintenanceResult;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.util.List;
import java.util.Optional;

/**
 * Carries out the maintenance planner's one action of the pass (compaction, one member's defragmentation, the
 * disarm), only in a pass that changed nothing else: no membership change, no restart, no machine provisioned, no
 * restart pending. A failure is reported and tried again on a later pass; the round stays where it was.
 */
public final class MaintenanceStep implements Step {
    private final MaintenanceActions etcd;

    public MaintenanceStep(MaintenanceActions etcd) {
        this.etcd = etcd;
    }

    @Override
    public StepOutcome run(Pass pass) {
        MaintenanceStatus before = pass.cluster().getStatus() == null ? null : pass.cluster().getStatus().getMaintenance();
        if (pass.decision().mode() != Decision.Mode.CONVERGE) {
            return StepOutcome.nothingToDo();
        }
        MaintenancePlanner.Plan plan = MaintenancePlanner.next(pass.cluster(), pass.observed(), pass.now());
        Optional<String> busy = busy(pass);
        if (plan.action().isPresent() && busy.isPresent()) {
            // A round not started yet starts in a quiet pass; one under way says why it waits.
            Optional<String> waiting = Optional.ofNullable(before).map(MaintenanceStatus::getRound)
                    .map(r -> "maintenance waits: " + busy.get());
            return StepOutcome.next(Effects.ofMaintenance(new MaintenanceResult(before, Optional.empty(), waiting,
                    Optional.empty()), List.of()));
        }
        MaintenanceStatus next = empty(plan.next()) ? null : plan.next();
        if (plan.action().isEmpty()) {
            List<Announcement> done = roundCompleted(before, next);
            return StepOutcome.next(Effects.ofMaintenance(new MaintenanceResult(next, Optional.empty(), plan.waiting(),
                    Optional.empty()), done));
        }
        MaintenancePlanner.Action action = plan.action().get();
        try {
            String done = etcd.apply(pass.cluster(), pass.tls(), action);
            List<Announcement> events = new java.util.ArrayList<>(List.of(new Announcement(reason(action), done)));
            events.addAll(roundCompleted(before, next));
            return StepOutcome.next(Effects.ofMaintenance(new MaintenanceResult(next, Optional.of(done), Optional.empty(),
                    Optional.empty()), events));
        } catch (FailureException e) {
            return StepOutcome.next(Effects.ofMaintenance(new MaintenanceResult(before, Optional.empty(), Optional.empty(),
                    Optional.of(e.failure().message())), List.of(new Announcement(EventReason.MaintenanceFailed,
                    e.failure().message()))));
        }
    }

    /** Something else this pass changed, or a member waits for its restart: maintenance waits for a quiet pass. */
    private static Optional<String> busy(Pass pass) {
        if (pass.effects().acted()) {
            return Optional.of("something else changed this pass");
        }
        boolean restartPending = pass.effects().hosts().values().stream()
                .anyMatch(r -> r.outcome().map(HostOutcome::restartPending).orElse(false));
        return restartPending ? Optional.of("a member waits for its planned restart") : Optional.empty();
    }

    private static EventReason reason(MaintenancePlanner.Action action) {
        return action instanceof MaintenancePlanner.Defragment ? EventReason.Defragmented
                : action instanceof MaintenancePlanner.Compact ? EventReason.Compacted : EventReason.AlarmDisarmed;
    }

    private static List<Announcement> roundCompleted(MaintenanceStatus before, MaintenanceStatus next) {
        boolean completed = before != null && before.getRound() != null && (next == null || next.getRound() == null);
        return completed ? List.of(new Announcement(EventReason.MaintenanceCompleted, "defragmentation round ("
                + before.getRound() + ") completed")) : List.of();
    }

    /** Nothing ever maintained: no status.maintenance at all. */
    private static boolean empty(MaintenanceStatus status) {
        return status.getRound() == null && status.getLastRound() == null && status.getLastMember() == null
                && status.getLastScheduledFor() == null && status.getRemaining().isEmpty();
    }
}
