package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** Where routine maintenance stands: a defragmentation round under way, the last one done. */
@Data
public class MaintenanceStatus {
    @JsonPropertyDescription("Why the current round runs: Fragmented, Scheduled or NoSpace.")
    private String round;
    @JsonPropertyDescription("When it started (RFC 3339).")
    private String roundStartedAt;
    @JsonPropertyDescription("The schedule's time it answers, for a scheduled round.")
    private String scheduledFor;
    @JsonPropertyDescription("Members still to be defragmented in this round; the leader goes last.")
    private List<String> remaining = new ArrayList<>();
    @JsonPropertyDescription("For a NOSPACE round: the revision the key history was compacted to.")
    private Long compactedRevision;
    @JsonPropertyDescription("The last member defragmented, and when (RFC 3339).")
    private String lastMember;
    private String lastDefragmentedAt;
    @JsonPropertyDescription("The last round completed: its reason and when (RFC 3339).")
    private String lastRound;
    private String lastRoundCompletedAt;
    @JsonPropertyDescription("The last scheduled time a round answered, so each is answered once.")
    private String lastScheduledFor;
}
