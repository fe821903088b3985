package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** A restore drill: the newest snapshot checked and restored into a scratch directory on one member's machine. */
@Data
public class VerificationRecord {
    @JsonPropertyDescription("The snapshot checked.")
    private String key;
    @JsonPropertyDescription("When the drill ran (RFC 3339).")
    private String time;
    @JsonPropertyDescription("The schedule's time it answered, for a scheduled drill.")
    private String scheduledFor;
    @JsonPropertyDescription("Whether the snapshot is intact and restores.")
    private Boolean passed;
    @JsonPropertyDescription("Revision, key count and hash as the version's own tool reads them (etcdutl snapshot status).")
    private Long revision;
    private Long totalKeys;
    private Long hash;
    @JsonPropertyDescription("The machine it ran on.")
    private String member;
    @JsonPropertyDescription("What failed, for a failed drill.")
    private String message;
}
