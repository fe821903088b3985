package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.BackupFailure;
import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.api.v1alpha1.VerificationRecord;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.BackupDue;
import dev.etcdvm.operator.reconciler.events.EventReason;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * status.backup after a pass: what the snapshot attempt or restore drill (if any) came to, and when the
 * schedules ask next. A
 * success answers its trigger (the scheduled time, or the annotation's value) and clears the last failure; a
 * failure answers nothing, so it is tried again after its backoff.
 */
final class BackupLedger {
    private BackupLedger() {
    }

    static BackupStatus next(BackupSpec spec, BackupStatus previous, Optional<BackupAttempt> attempt, Instant now,
            StatusDraft draft) {
        BackupStatus next = previous == null ? new BackupStatus() : Serialization.clone(previous);
        attempt.ifPresent(a -> {
            if (a instanceof BackupAttempt.Taken taken) {
                next.setLastSnapshot(taken.snapshot());
                next.setRetained(taken.retained());
                next.setLastFailure(null);
                taken.trigger().scheduledFor().ifPresent(t -> next.setLastScheduledTime(t.toString()));
                taken.trigger().request().ifPresent(next::setLastRequest);
                taken.trigger().change().ifPresent(next::setBeforeChange);
                draft.announce(EventReason.BackupTaken, "snapshot " + taken.snapshot().getKey() + " stored ("
                        + taken.trigger().describe() + "): revision " + taken.snapshot().getRevision() + ", "
                        + taken.snapshot().getSizeBytes() + " bytes from " + taken.snapshot().getMember() + " in "
                        + taken.snapshot().getDurationMillis() + " ms; " + taken.retained() + " kept");
                taken.pruneProblem().ifPresent(p -> draft.announce(EventReason.BackupFailed, p));
            } else if (a instanceof BackupAttempt.Drilled drilled) {
                next.setLastVerified(verification(drilled, now));
                drilled.trigger().request().ifPresent(next::setLastVerifyRequest);
                if (Boolean.TRUE.equals(next.getLastVerified().getPassed())) {
                    draft.announce(EventReason.BackupVerified, "restore drill passed on " + drilled.member() + ": "
                            + drilled.key() + " holds revision " + next.getLastVerified().getRevision() + ", "
                            + next.getLastVerified().getTotalKeys() + " keys, and restores");
                } else {
                    draft.announce(EventReason.BackupVerificationFailed, "restore drill failed"
                            + (drilled.key().isEmpty() ? "" : " for " + drilled.key()) + ": "
                            + next.getLastVerified().getMessage());
                }
            } else if (a instanceof BackupAttempt.Failed failed) {
                BackupFailure failure = new BackupFailure();
                failure.setTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
                failure.setReason(failed.reason());
                failure.setMessage(failed.message());
                failure.setAttempts(Optional.ofNullable(next.getLastFailure()).map(BackupFailure::getAttempts)
                        .orElse(0) + 1);
                next.setLastFailure(failure);
                draft.announce(EventReason.BackupFailed, "snapshot (" + failed.trigger().describe() + ") failed: "
                        + failed.reason() + ": " + failed.message() + "; trying again from "
                        + BackupDue.retryAt(next).map(Instant::toString).orElse("now"));
            }
        });
        return schedule(spec, next, now);
    }

    private static VerificationRecord verification(BackupAttempt.Drilled drilled, Instant now) {
        VerificationRecord record = new VerificationRecord();
        record.setKey(drilled.key().isEmpty() ? null : drilled.key());
        record.setTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        record.setScheduledFor(drilled.trigger().scheduledFor().map(Instant::toString).orElse(null));
        record.setMember(drilled.member().isEmpty() ? null : drilled.member());
        record.setPassed(drilled.check().isPresent() && drilled.problem().isEmpty());
        drilled.check().ifPresent(c -> {
            record.setRevision(c.revision());
            record.setTotalKeys(c.totalKeys());
            record.setHash(c.hash());
        });
        record.setMessage(drilled.problem().orElse(null));
        return record;
    }

    private static BackupStatus schedule(BackupSpec spec, BackupStatus next, Instant now) {
        next.setNextScheduledTime(BackupDue.next(spec.getSchedule(), next.getLastScheduledTime(),
                next.getNextScheduledTime(), now).map(Instant::toString).orElse(null));
        next.setNextVerifyTime(BackupDue.next(spec.getVerifySchedule(), Optional.ofNullable(next.getLastVerified())
                .map(VerificationRecord::getScheduledFor).orElse(null), next.getNextVerifyTime(), now)
                .map(Instant::toString).orElse(null));
        return next;
    }
}
