package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import dev.etcdvm.operator.reconciler.reason.FailureReason;

/**
 * Streams the planned snapshot to the store. A failure never holds the pass back: it is recorded and retried on
 * the backup's own backoff, and a change that waits for it says so.
 */
public final class SnapshotExecutor implements Executor<Action.Snapshot> {
    private final Backups backups;

    public SnapshotExecutor(Backups backups) {
        this.backups = backups;
    }

    @Override
    public Class<Action.Snapshot> handles() {
        return Action.Snapshot.class;
    }

    @Override
    public Report execute(Action.Snapshot action, Target target) {
        BackupAttempt attempt = backups.take(target.cluster(), target.tls(), action.source(), action.trigger(),
                target.now());
        Outcome outcome = attempt instanceof BackupAttempt.Failed failed
                ? new Outcome.Failed(Failure.of(Operation.BACKUP_SNAPSHOT, FailureReason.BackupFailed,
                        action.source().member(), failed.reason() + ": " + failed.message()))
                : new Outcome.Done("stored a snapshot from " + action.source().member());
        return new Report(outcome, Effects.ofBackup(attempt));
    }
}
