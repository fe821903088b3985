package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.etcdapi.MaintenanceActions;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.MaintenanceResult;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Carries out one maintenance step; a failure is reported and tried again later, the round stays where it was. */
public final class MaintenanceExecutor implements Executor<Action.Maintain> {
    private final MaintenanceActions etcd;

    public MaintenanceExecutor(MaintenanceActions etcd) {
        this.etcd = etcd;
    }

    @Override
    public Class<Action.Maintain> handles() {
        return Action.Maintain.class;
    }

    @Override
    public Report execute(Action.Maintain action, Target target) {
        try {
            String done = etcd.apply(target.cluster(), target.tls(), action.action());
            List<Announcement> events = new ArrayList<>(List.of(new Announcement(reason(action.action()), done)));
            events.addAll(MaintenanceResult.roundCompleted(action.before(), action.next()));
            return new Report(new Outcome.Done(done), Effects.ofMaintenance(new MaintenanceResult(action.next(),
                    Optional.of(done), Optional.empty(), Optional.empty()), events));
        } catch (FailureException e) {
            return new Report(new Outcome.Failed(e.failure()), Effects.ofMaintenance(new MaintenanceResult(
                    action.before(), Optional.empty(), Optional.empty(), Optional.of(e.failure().message())),
                    List.of(new Announcement(EventReason.MaintenanceFailed, e.failure().message()))));
        }
    }

    private static EventReason reason(MaintenancePlanner.Action action) {
        return action instanceof MaintenancePlanner.Defragment ? EventReason.Defragmented
                : action instanceof MaintenancePlanner.Compact ? EventReason.Compacted : EventReason.AlarmDisarmed;
    }
}
