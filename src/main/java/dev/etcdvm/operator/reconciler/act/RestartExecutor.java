package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import java.util.List;

/** Restarts the planned member; the restart script proves the machine is this cluster's before it acts. */
public final class RestartExecutor implements Executor<Action.Restart> {
    private final HostActions machines;
    private final Failpoints failpoints;

    public RestartExecutor(HostActions machines, Failpoints failpoints) {
        this.machines = machines;
        this.failpoints = failpoints;
    }

    @Override
    public Class<Action.Restart> handles() {
        return Action.Restart.class;
    }

    @Override
    public Report execute(Action.Restart action, Target target) {
        HostResult restarted = machines.restart(target.hosts(), action.plan(), action.facts());
        Effects effects = Effects.ofHosts(List.of(restarted));
        if (restarted.failure().isPresent()) {
            return new Report(new Outcome.Failed(restarted.failure().get()), effects);
        }
        failpoints.reached(Failpoints.Point.AFTER_RESTART);
        String done = "restarted " + action.plan().member().getName() + " for its new binary or configuration";
        return new Report(new Outcome.Done(done), effects.plus(Effects.paced(Pace.SOON,
                List.of(new Announcement(EventReason.MemberRestarted, done + " (" + action.line() + ")")))));
    }
}
