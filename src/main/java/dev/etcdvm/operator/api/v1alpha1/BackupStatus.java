package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** Where backups stand; the store itself is the record of which snapshots exist. */
@Data
public class BackupStatus {
    @JsonPropertyDescription("The last snapshot that was stored.")
    private SnapshotRecord lastSnapshot;
    @JsonPropertyDescription("The last scheduled time that was acted on (RFC 3339), taken or failed.")
    private String lastScheduledTime;
    @JsonPropertyDescription("When the schedule next asks for a snapshot (RFC 3339).")
    private String nextScheduledTime;
    @JsonPropertyDescription("The last risky change a snapshot was stored for before it went ahead, e.g. \"version"
            + " change to 3.5.30\" or \"removal of etcd-3\".")
    private String beforeChange;
    @JsonPropertyDescription("The last value of the etcdvm.dev/backup-now annotation acted on.")
    private String lastRequest;
    @JsonPropertyDescription("The last failed attempt, cleared by the next success.")
    private BackupFailure lastFailure;
    @JsonPropertyDescription("The last restore drill.")
    private VerificationRecord lastVerified;
    @JsonPropertyDescription("When the next restore drill is due (RFC 3339).")
    private String nextVerifyTime;
    @JsonPropertyDescription("The last value of the etcdvm.dev/verify-backup-now annotation acted on.")
    private String lastVerifyRequest;
    @JsonPropertyDescription("Snapshots of this cluster kept in the store after the last pruning.")
    private Integer retained;
}
