package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.reconciler.backup.BackupDue;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * BackupHealthy: False after a failed snapshot (with what to fix), a failed restore drill, or a scheduled
 * snapshot overdue by more than
 * {@link #GRACE}; True once a snapshot is stored, or while none is due yet. Never touches Ready: a cluster
 * serves as well without its backups.
 */
public final class BackupHealthyCheck implements ConditionCheck {
    static final Duration GRACE = Duration.ofMinutes(10);

    @Override
    public ConditionType type() {
        return ConditionType.BackupHealthy;
    }

    @Override
    public Optional<Verdict> check(ClusterFacts f) {
        return f.backup().map(BackupHealthyCheck::verdict);
    }

    static Verdict verdict(BackupFacts facts) {
        BackupStatus status = facts.status();
        if (status.getLastFailure() != null) {
            return Verdict.isFalse(status.getLastFailure().getReason(), status.getLastFailure().getMessage()
                    + "; trying again from " + BackupDue.retryAt(status).map(Instant::toString).orElse("now"));
        }
        if (status.getLastVerified() != null && Boolean.FALSE.equals(status.getLastVerified().getPassed())) {
            return Verdict.isFalse(ConditionReason.VerificationFailed.name(), "the last restore drill failed"
                    + Optional.ofNullable(status.getLastVerified().getKey()).map(k -> " for " + k).orElse("") + ": "
                    + status.getLastVerified().getMessage());
        }
        Optional<Instant> due = Optional.ofNullable(status.getNextScheduledTime()).map(Instant::parse);
        if (due.filter(t -> t.plus(GRACE).isBefore(facts.now())).isPresent()) {
            return Verdict.isFalse(ConditionReason.ScheduleMissed.name(), "the snapshot due at " + due.get() + " was not taken"
                    + facts.notActing().map(why -> ": the cluster is not in a state to act on (" + why + ")").orElse(""));
        }
        if (status.getLastSnapshot() != null) {
            return Verdict.isTrue(ConditionReason.SnapshotStored.name(), "last snapshot " + status.getLastSnapshot().getKey() + " at "
                    + status.getLastSnapshot().getTime() + due.map(t -> "; next at " + t).orElse(""));
        }
        return Verdict.isTrue(ConditionReason.NoSnapshotYet.name(), due.map(t -> "the first snapshot is due at " + t)
                .orElse("snapshots are taken on request (annotation etcdvm.dev/backup-now)"));
    }
}
