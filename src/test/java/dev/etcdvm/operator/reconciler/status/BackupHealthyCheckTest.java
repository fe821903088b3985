package dev.etcdvm.operator.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.BackupFailure;
import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.api.v1alpha1.SnapshotRecord;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupHealthyCheckTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:30:00Z");
    private final BackupHealthyCheck check = new BackupHealthyCheck();

    private static BackupStatus status(String next, boolean stored, String failureReason) {
        BackupStatus status = new BackupStatus();
        status.setNextScheduledTime(next);
        if (stored) {
            SnapshotRecord record = new SnapshotRecord();
            record.setKey("p/ns/c/uid/20261126T120000Z.db");
            record.setTime("2026-11-26T12:00:00Z");
            status.setLastSnapshot(record);
        }
        if (failureReason != null) {
            BackupFailure failure = new BackupFailure();
            failure.setTime("2026-11-26T12:29:00Z");
            failure.setReason(failureReason);
            failure.setMessage("the store refused the credentials");
            failure.setAttempts(1);
            status.setLastFailure(failure);
        }
        return status;
    }

    private Verdict verdict(BackupStatus status, Optional<String> notActing) {
        return check.check(new FactsBuilder().backup(new BackupFacts(status, NOW, notActing)).build()).orElseThrow();
    }

    @Test
    void withoutBackupsTheConditionIsLeftAlone() {
        assertThat(check.check(new FactsBuilder().build())).isEmpty();
    }

    @Test
    void aFailureSaysWhatToFixAndWhenItIsTriedAgain() {
        Verdict v = verdict(status("2026-11-26T13:00:00Z", true, "CredentialsRejected"), Optional.empty());
        assertThat(v.status()).isEqualTo(ConditionStatus.False);
        assertThat(v.reason()).isEqualTo("CredentialsRejected");
        assertThat(v.message()).contains("refused the credentials").contains("2026-11-26T12:29:05Z");
    }

    @Test
    void aScheduledSnapshotOverdueBeyondTheGraceIsMissed() {
        Verdict missed = verdict(status("2026-11-26T12:15:00Z", true, null), Optional.of("Paused"));
        assertThat(missed.status()).isEqualTo(ConditionStatus.False);
        assertThat(missed.reason()).isEqualTo("ScheduleMissed");
        assertThat(missed.message()).contains("2026-11-26T12:15:00Z").contains("Paused");
        assertThat(verdict(status("2026-11-26T12:25:00Z", true, null), Optional.empty()).status())
                .as("overdue within the grace").isEqualTo(ConditionStatus.True);
    }

    @Test
    void healthyOnceStoredOrWhileNoneIsDueYet() {
        assertThat(verdict(status("2026-11-26T13:00:00Z", true, null), Optional.empty()))
                .extracting(Verdict::status, Verdict::reason).containsExactly(ConditionStatus.True, "SnapshotStored");
        assertThat(verdict(status("2026-11-26T13:00:00Z", false, null), Optional.empty()))
                .extracting(Verdict::status, Verdict::reason).containsExactly(ConditionStatus.True, "NoSnapshotYet");
    }
}
