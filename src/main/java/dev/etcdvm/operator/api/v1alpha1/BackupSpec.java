package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import lombok.Data;

/** Snapshots of the cluster's data, streamed to an S3-compatible object store. */
@Data
public class BackupSpec {
    @JsonPropertyDescription("When to take a snapshot: a standard 5-field cron expression in UTC (e.g. \"0 * * * *\""
            + " for hourly) or @hourly, @daily, @weekly. Unset: snapshots only on demand (annotation"
            + " etcdvm.dev/backup-now) and before risky changes.")
    private String schedule;

    @JsonPropertyDescription("When to run a restore drill: the newest snapshot is checked with the version's own tool"
            + " and restored into a scratch directory on one member's machine (5-field cron, UTC, e.g. @daily). Unset:"
            + " only on request (annotation etcdvm.dev/verify-backup-now).")
    private String verifySchedule;

    @Required
    @JsonPropertyDescription("Where snapshots are stored.")
    private BackupStoreSpec store;

    @JsonPropertyDescription("Which snapshots are kept; the others of this cluster are deleted after each new one.")
    private RetentionSpec retention = new RetentionSpec();
}
