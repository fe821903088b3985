package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** A quorum-loss recovery: what was chosen, from where, and what it kept. */
@Data
public class RecoveryRecord {
    @JsonPropertyDescription("The etcdvm.dev/recover-quorum annotation value acted on.")
    private String request;
    @JsonPropertyDescription("The declared loss the choice named.")
    private String lossId;
    @JsonPropertyDescription("Unreachable voters the choice gave up explicitly (;unreachable=...): not stopped, they"
            + " may still run with the former cluster's data.")
    private List<String> givenUp = new ArrayList<>();
    @JsonPropertyDescription("survivor (a surviving member's data) or snapshot (the newest snapshot in the store).")
    private String source;
    @JsonPropertyDescription("The member the cluster is re-formed on, alone; the others are added back as learners.")
    private String seed;
    @JsonPropertyDescription("The seed's recorded etcd member id before the recovery (hex), checked on its machine.")
    private String seedMemberId;
    @JsonPropertyDescription("The snapshot restored, for source snapshot.")
    private String snapshotKey;
    @JsonPropertyDescription("The store revision the recovered cluster starts from.")
    private Long keptRevision;
    @JsonPropertyDescription("The highest store revision seen before the loss, if known: revisions above keptRevision up"
            + " to it may be missing.")
    private Long highestRevisionBefore;
    @JsonPropertyDescription("The new cluster's token, so it never merges with the old one.")
    private String token;
    @JsonPropertyDescription("The cluster id before the recovery (hex).")
    private String formerClusterId;
    @JsonPropertyDescription("The cluster id after it (hex).")
    private String newClusterId;
    @JsonPropertyDescription("Where the seed's old data directory was moved, never deleted.")
    private String archive;
    @JsonPropertyDescription("When it was chosen (RFC 3339).")
    private String startedAt;
    @JsonPropertyDescription("When the seed first led the new cluster (RFC 3339).")
    private String completedAt;
    @JsonPropertyDescription("The etcdvm.dev/accept-data-loss value that acknowledged what may be missing; until then"
            + " DataLossPossible is True and the cluster is not Ready.")
    private String acknowledgedBy;
    @JsonPropertyDescription("This operator's keyed hash (HMAC-SHA256) of the record's other fields: a record that does"
            + " not carry it, or was edited, is never acted on.")
    private String seal;
}
