package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** The last snapshot attempt that failed, until one succeeds. */
@Data
public class BackupFailure {
    @JsonPropertyDescription("When the last attempt failed (RFC 3339).")
    private String time;
    @JsonPropertyDescription("CredentialsRejected, BucketMissing, StoreUnreachable, StoreError, EtcdUnavailable or"
            + " SnapshotCorrupt.")
    private String reason;
    private String message;
    @JsonPropertyDescription("Failed attempts in a row; the next retry waits longer each time.")
    private Integer attempts;
}
