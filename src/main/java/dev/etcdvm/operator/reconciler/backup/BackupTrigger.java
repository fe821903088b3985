package dev.etcdvm.operator.reconciler.backup;

import java.time.Instant;
import java.util.Optional;

/**
 * Why a snapshot is taken now.
 *
 * @param scheduledFor the schedule's time this snapshot answers, for a scheduled one
 * @param request the backup-now annotation's value, for a requested one
 * @param change the risky change it is taken before, for one of those
 */
public record BackupTrigger(Kind kind, Optional<Instant> scheduledFor, Optional<String> request, Optional<String> change) {
    public enum Kind {
        SCHEDULE("schedule"), REQUEST("request"), BEFORE_CHANGE("before change"),
        /** A restore drill, scheduled ({@code scheduledFor}) or requested ({@code request}). */
        DRILL("drill");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static BackupTrigger scheduled(Instant time) {
        return new BackupTrigger(Kind.SCHEDULE, Optional.of(time), Optional.empty(), Optional.empty());
    }

    public static BackupTrigger requested(String value) {
        return new BackupTrigger(Kind.REQUEST, Optional.empty(), Optional.of(value), Optional.empty());
    }

    public static BackupTrigger before(String change) {
        return new BackupTrigger(Kind.BEFORE_CHANGE, Optional.empty(), Optional.empty(), Optional.of(change));
    }

    public static BackupTrigger drill(Optional<Instant> scheduledFor, Optional<String> request) {
        return new BackupTrigger(Kind.DRILL, scheduledFor, request, Optional.empty());
    }

    /** What the snapshot's record and metadata say it was taken for. */
    public String label() {
        return change.map(c -> "before " + c).orElse(kind.label());
    }

    public String describe() {
        return switch (kind) {
            case SCHEDULE -> "scheduled for " + scheduledFor.orElseThrow();
            case REQUEST -> "requested (" + request.orElseThrow() + ")";
            case BEFORE_CHANGE -> "before " + change.orElseThrow();
            case DRILL -> "restore drill " + scheduledFor.map(t -> "scheduled for " + t)
                    .orElseGet(() -> "requested (" + request.orElse("") + ")");
        };
    }
}
