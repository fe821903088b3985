package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import java.util.List;

/** Marks a running voter's data with its identity; the script proves the machine and the member first. */
public final class MarkDataExecutor implements Executor<Action.MarkData> {
    private final HostActions machines;

    public MarkDataExecutor(HostActions machines) {
        this.machines = machines;
    }

    @Override
    public Class<Action.MarkData> handles() {
        return Action.MarkData.class;
    }

    @Override
    public Report execute(Action.MarkData action, Target target) {
        HostResult marked = machines.markData(target.hosts(), action.plan(), action.memberId(), action.dataId());
        return new Report(Outcome.of(List.of(marked), action.describe()), Effects.ofHosts(List.of(marked)));
    }
}
