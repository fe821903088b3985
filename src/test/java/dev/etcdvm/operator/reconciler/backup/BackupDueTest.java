package dev.etcdvm.operator.reconciler.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.BackupFailure;
import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.VerificationRecord;
import dev.etcdvm.operator.support.Specs;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupDueTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:30:20Z");

    private static EtcdVmCluster cluster(String schedule, BackupStatus status) {
        EtcdVmCluster cluster = Specs.threeMembers("backed-up", "default");
        BackupSpec backup = new BackupSpec();
        backup.setSchedule(schedule);
        cluster.getSpec().setBackup(backup);
        cluster.setStatus(new EtcdVmClusterStatus());
        cluster.getStatus().setBackup(status);
        return cluster;
    }

    private static BackupStatus status(String lastScheduled, String next) {
        BackupStatus status = new BackupStatus();
        status.setLastScheduledTime(lastScheduled);
        status.setNextScheduledTime(next);
        return status;
    }

    @Test
    void nothingIsDueWithoutBackupsOrBeforeTheFirstTimeWasRecorded() {
        EtcdVmCluster none = Specs.threeMembers("plain", "default");
        assertThat(BackupDue.now(none, NOW)).isEmpty();
        assertThat(BackupDue.now(cluster("* * * * *", null), NOW)).as("backups just set up").isEmpty();
        assertThat(BackupDue.next("* * * * *", null, null, NOW))
                .contains(Instant.parse("2026-11-26T12:31:00Z"));
    }

    @Test
    void theFirstRecordedTimeIsAnsweredOnceItHasCome() {
        BackupStatus first = status(null, "2026-11-26T12:30:00Z");
        assertThat(BackupDue.now(cluster("* * * * *", first), NOW))
                .contains(BackupTrigger.scheduled(Instant.parse("2026-11-26T12:30:00Z")));
        assertThat(BackupDue.now(cluster("* * * * *", status(null, "2026-11-26T12:31:00Z")), NOW)).isEmpty();
    }

    @Test
    void eachScheduledTimeIsAnsweredOnceAndOnlyTheLatestMissedOne() {
        assertThat(BackupDue.now(cluster("*/5 * * * *", status("2026-11-26T12:30:00Z", null)), NOW)).isEmpty();
        // The operator was away for hours: one snapshot for the latest time, not one per missed time.
        assertThat(BackupDue.now(cluster("*/5 * * * *", status("2026-11-26T08:00:00Z", null)), NOW))
                .contains(BackupTrigger.scheduled(Instant.parse("2026-11-26T12:30:00Z")));
    }

    @Test
    void aNewAnnotationValueAsksOnceAndWinsOverTheSchedule() {
        EtcdVmCluster cluster = cluster(null, status("2026-11-26T08:00:00Z", null));
        cluster.getMetadata().setAnnotations(Map.of(EtcdVmCluster.BACKUP_NOW_ANNOTATION, "before-migration"));
        assertThat(BackupDue.now(cluster, NOW)).contains(BackupTrigger.requested("before-migration"));
        cluster.getStatus().getBackup().setLastRequest("before-migration");
        assertThat(BackupDue.now(cluster, NOW)).isEmpty();
    }

    @Test
    void failuresBackOffFromFiveSecondsDoublingToFiveMinutes() {
        BackupStatus failing = status(null, "2026-11-26T12:00:00Z");
        BackupFailure failure = new BackupFailure();
        failure.setTime("2026-11-26T12:30:17Z");
        failure.setAttempts(1);
        failing.setLastFailure(failure);
        assertThat(BackupDue.now(cluster("* * * * *", failing), NOW)).as("3 s after the first failure").isEmpty();
        assertThat(BackupDue.retryAt(failing)).contains(Instant.parse("2026-11-26T12:30:22Z"));
        failure.setAttempts(3);
        assertThat(BackupDue.retryAt(failing)).contains(Instant.parse("2026-11-26T12:30:37Z"));
        failure.setAttempts(9);
        assertThat(BackupDue.retryAt(failing)).contains(Instant.parse("2026-11-26T12:35:17Z"));
        failure.setTime("2026-11-26T12:00:00Z");
        assertThat(BackupDue.now(cluster("* * * * *", failing), NOW)).map(BackupTrigger::kind)
                .contains(BackupTrigger.Kind.SCHEDULE);
        assertThat(BackupDue.nextAttempt(failing)).isEqualTo(BackupDue.retryAt(failing));
        assertThat(BackupDue.nextAttempt(null)).isEqualTo(Optional.empty());
    }

    @Test
    void drillsAnswerTheirOwnScheduleAndRequestsEvenWhileSnapshotsBackOff() {
        BackupStatus status = status("2026-11-26T12:30:00Z", null);
        BackupFailure failure = new BackupFailure();
        failure.setTime("2026-11-26T12:30:19Z");
        failure.setAttempts(1);
        status.setLastFailure(failure);
        status.setNextVerifyTime("2026-11-26T12:00:00Z");
        EtcdVmCluster cluster = cluster("*/5 * * * *", status);
        cluster.getSpec().getBackup().setVerifySchedule("@hourly");

        assertThat(BackupDue.now(cluster, NOW)).as("the snapshot backs off").isEmpty();
        assertThat(BackupDue.drill(cluster, NOW))
                .contains(BackupTrigger.drill(Optional.of(Instant.parse("2026-11-26T12:00:00Z")), Optional.empty()));

        VerificationRecord done = new VerificationRecord();
        done.setScheduledFor("2026-11-26T12:00:00Z");
        status.setLastVerified(done);
        assertThat(BackupDue.drill(cluster, NOW)).as("answered").isEmpty();
        cluster.getMetadata().setAnnotations(Map.of(EtcdVmCluster.VERIFY_NOW_ANNOTATION, "now"));
        assertThat(BackupDue.drill(cluster, NOW)).contains(BackupTrigger.drill(Optional.empty(), Optional.of("now")));
        status.setNextVerifyTime("2026-11-26T13:00:00Z");
        assertThat(BackupDue.nextAttempt(status)).as("the retry comes before the next drill")
                .contains(Instant.parse("2026-11-26T12:30:24Z"));
    }
}
