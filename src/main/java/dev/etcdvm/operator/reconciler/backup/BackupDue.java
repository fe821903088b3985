package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.BackupFailure;
import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.schedule.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a snapshot is due, from the spec, the annotation and the last status alone. A scheduled time is
 * answered once (status keeps the last one answered); an operator that was down answers only the latest time it
 * missed. After a failure the next attempt waits 5 s, doubling up to 5 minutes, whatever asked for it.
 */
public final class BackupDue {
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private BackupDue() {
    }

    public static Optional<BackupTrigger> now(EtcdVmCluster cluster, Instant now) {
        return now(cluster, now, Optional.empty());
    }

    /**
     * @param changeAhead a risky change this pass would make that no snapshot was stored for yet (see
     *     {@link SnapshotFirst}); it comes after a request and before the schedule
     */
    public static Optional<BackupTrigger> now(EtcdVmCluster cluster, Instant now, Optional<String> changeAhead) {
        if (cluster.getSpec().getBackup() == null) {
            return Optional.empty();
        }
        BackupStatus status = previous(cluster);
        if (retryAt(status).filter(now::isBefore).isPresent()) {
            return Optional.empty();
        }
        return cluster.newBackupRequest().map(BackupTrigger::requested)
                .or(() -> changeAhead.map(BackupTrigger::before))
                .or(() -> scheduledFire(cluster, now).map(BackupTrigger::scheduled));
    }

    /** The scheduled time not answered yet, if one has come. */
    public static Optional<Instant> scheduledFire(EtcdVmCluster cluster, Instant now) {
        BackupStatus status = previous(cluster);
        return fire(cluster.getSpec().getBackup().getSchedule(), status.getLastScheduledTime(),
                status.getNextScheduledTime(), now);
    }

    /**
     * A restore drill due now: requested by a new annotation value, or the verify schedule's time not answered
     * yet. Drills answer their own schedule and are not held back by a failed snapshot's backoff.
     */
    public static Optional<BackupTrigger> drill(EtcdVmCluster cluster, Instant now) {
        if (cluster.getSpec().getBackup() == null) {
            return Optional.empty();
        }
        Optional<String> request = cluster.newVerifyRequest();
        if (request.isPresent()) {
            return Optional.of(BackupTrigger.drill(Optional.empty(), request));
        }
        BackupStatus status = previous(cluster);
        String answered = Optional.ofNullable(status.getLastVerified()).map(v -> v.getScheduledFor()).orElse(null);
        return fire(cluster.getSpec().getBackup().getVerifySchedule(), answered, status.getNextVerifyTime(), now)
                .map(t -> BackupTrigger.drill(Optional.of(t), Optional.empty()));
    }

    /**
     * The latest time of the schedule not answered yet. Before any was answered, the first is the first time due
     * after the schedule was set up, which status recorded as the next one.
     */
    static Optional<Instant> fire(String expression, String lastAnswered, String recordedNext, Instant now) {
        if (expression == null || expression.isBlank()) {
            return Optional.empty();
        }
        Optional<Instant> last = CronSchedule.parse(expression).lastAtOrBefore(now);
        if (lastAnswered != null) {
            Instant answered = Instant.parse(lastAnswered);
            return last.filter(t -> t.isAfter(answered));
        }
        return Optional.ofNullable(recordedNext).map(Instant::parse)
                .filter(first -> !now.isBefore(first)).flatMap(first -> last);
    }

    /** When a schedule asks next, given what status will say after this pass: a time still unanswered, or the next. */
    public static Optional<Instant> next(String expression, String lastAnswered, String recordedNext, Instant now) {
        if (expression == null || expression.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(fire(expression, lastAnswered, recordedNext, now)
                .orElseGet(() -> CronSchedule.parse(expression).nextAfter(now)));
    }

    /** When backups next need a pass, given status.backup after this one: a retry, or the schedule's next time. */
    public static Optional<Instant> nextAttempt(BackupStatus status) {
        if (status == null) {
            return Optional.empty();
        }
        Optional<Instant> snapshot = retryAt(status).or(() -> Optional.ofNullable(status.getNextScheduledTime())
                .map(Instant::parse));
        Optional<Instant> drill = Optional.ofNullable(status.getNextVerifyTime()).map(Instant::parse);
        return snapshot.isEmpty() ? drill : drill.isEmpty() ? snapshot
                : Optional.of(snapshot.get().isBefore(drill.get()) ? snapshot.get() : drill.get());
    }

    /** When a failed attempt may be tried again. */
    public static Optional<Instant> retryAt(BackupStatus status) {
        BackupFailure failure = status.getLastFailure();
        if (failure == null || failure.getTime() == null) {
            return Optional.empty();
        }
        int attempts = Math.max(1, Optional.ofNullable(failure.getAttempts()).orElse(1));
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 10));
        return Optional.of(Instant.parse(failure.getTime()).plus(delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay));
    }

    static BackupStatus previous(EtcdVmCluster cluster) {
        return cluster.getStatus() == null || cluster.getStatus().getBackup() == null ? new BackupStatus()
                : cluster.getStatus().getBackup();
    }
}
