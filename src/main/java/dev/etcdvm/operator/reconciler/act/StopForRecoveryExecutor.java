package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import java.util.List;

/** Stops the machines still running an old member, each only where it proves to be this cluster's. */
public final class StopForRecoveryExecutor implements Executor<Action.StopForRecovery> {
    private final HostActions machines;

    public StopForRecoveryExecutor(HostActions machines) {
        this.machines = machines;
    }

    @Override
    public Class<Action.StopForRecovery> handles() {
        return Action.StopForRecovery.class;
    }

    @Override
    public Report execute(Action.StopForRecovery action, Target target) {
        List<HostResult> stopped = machines.retire(target.hosts(), action.clusterUid(), action.machines(), false);
        return new Report(Outcome.of(stopped, action.describe()), Effects.ofHosts(stopped).plus(Effects.paced(Pace.STEADY,
                RecoverExecutor.notOwned(stopped, action.line()))));
    }
}
