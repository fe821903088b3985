package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** One snapshot in the store, as it was taken. */
@Data
public class SnapshotRecord {
    @JsonPropertyDescription("Object key in the bucket.")
    private String key;
    @JsonPropertyDescription("When it was taken (RFC 3339).")
    private String time;
    @JsonPropertyDescription("etcd revision it holds at least.")
    private Long revision;
    @JsonPropertyDescription("Size in bytes, etcd's SHA-256 trailer included.")
    private Long sizeBytes;
    @JsonPropertyDescription("SHA-256 of the database, as etcd sent it and as checked while streaming.")
    private String sha256;
    @JsonPropertyDescription("Member it was streamed from.")
    private String member;
    @JsonPropertyDescription("How long streaming and uploading took, in milliseconds.")
    private Long durationMillis;
    @JsonPropertyDescription("Why it was taken: schedule, request (the backup-now annotation) or before a risky change.")
    private String trigger;
}
