package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.machines.DrillResult;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import java.util.Optional;

/** A restore drill of the cluster's newest snapshot on the planned machine, into a scratch directory. */
public final class DrillExecutor implements Executor<Action.Drill> {
    private final Backups backups;
    private final HostActions machines;

    public DrillExecutor(Backups backups, HostActions machines) {
        this.backups = backups;
        this.machines = machines;
    }

    @Override
    public Class<Action.Drill> handles() {
        return Action.Drill.class;
    }

    @Override
    public Report execute(Action.Drill action, Target target) {
        String member = action.plan().member().getName();
        SnapshotRestore newest;
        try {
            newest = backups.newest(target.cluster(), target.now());
        } catch (IllegalStateException e) {
            return report(new BackupAttempt.Drilled(action.trigger(), "", member, Optional.empty(),
                    Optional.of(e.getMessage())));
        }
        DrillResult result = machines.checkSnapshot(target.hosts(), action.plan(), newest);
        return report(new BackupAttempt.Drilled(action.trigger(), newest.key(), member, result.check(),
                result.failure().map(Failure::message)));
    }

    private static Report report(BackupAttempt.Drilled drilled) {
        Outcome outcome = drilled.problem().<Outcome>map(p -> new Outcome.Failed(Failure.of(Operation.HOST_DRILL,
                FailureReason.CommandFailed, drilled.member(), p)))
                .orElseGet(() -> new Outcome.Done("restored " + drilled.key() + " on " + drilled.member()));
        return new Report(outcome, Effects.ofBackup(drilled));
    }
}
