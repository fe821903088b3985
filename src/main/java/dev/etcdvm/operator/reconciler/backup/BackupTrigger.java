package dev.etcdvm.operator.reconciler.backup;

import java.time.Instant;
import java.util.Optional;

/**
 * Why a snapshot is taken now.
 *
 * @param scheduledFor the schedule's time this snapshot answers, for a scheduled one
 * @param request the backup-now annotation's value, for a requested one
 */
public record BackupTrigger(Kind kind, Optional<Instant> scheduledFor, Optional<String> request) {
    public enum Kind {
        SCHEDULE("schedule"), REQUEST("request");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static BackupTrigger scheduled(Instant time) {
        return new BackupTrigger(Kind.SCHEDULE, Optional.of(time), Optional.empty());
    }

    public static BackupTrigger requested(String value) {
        return new BackupTrigger(Kind.REQUEST, Optional.empty(), Optional.of(value));
    }

    public String describe() {
        return switch (kind) {
            case SCHEDULE -> "scheduled for " + scheduledFor.orElseThrow();
            case REQUEST -> "requested (" + request.orElseThrow() + ")";
        };
    }
}
