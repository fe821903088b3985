package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/**
 * A majority of the voting members is out and no member leads: since when, who is out, and what each way out
 * would keep, shown before anything is done.
 */
@Data
public class QuorumLossStatus {
    @JsonPropertyDescription("Names this loss: a recover-quorum choice must name it (survivor@<id>), so a value set"
            + " before the loss is never acted on. Derived from the cluster, its etcd cluster id and since.")
    private String id;
    @JsonPropertyDescription("When the outage was first seen (RFC 3339); declared after spec.quorumLossAfterSeconds.")
    private String since;
    @JsonPropertyDescription("Voting members proven out: their machines answer without the member's data.")
    private List<String> outMembers = new ArrayList<>();
    @JsonPropertyDescription("Voting members whose machines cannot be reached: unknown, not lost. They may be running,"
            + " even as a majority on the other side of a network split.")
    private List<String> unreachableMembers = new ArrayList<>();
    @JsonPropertyDescription("Option 'survivor': the surviving voter with the most advanced data.")
    private String survivor;
    @JsonPropertyDescription("The store revision the survivor's data holds (read from its own status endpoint).")
    private Long survivorRevision;
    @JsonPropertyDescription("Option 'snapshot': the newest snapshot in the store.")
    private String snapshotKey;
    @JsonPropertyDescription("The revision that snapshot holds.")
    private Long snapshotRevision;
    @JsonPropertyDescription("Why an option is not offered, or why the last choice was refused.")
    private String message;
    @JsonPropertyDescription("The recovery chosen with the etcdvm.dev/recover-quorum annotation, recorded before"
            + " any machine is touched, so a restarted operator finishes the same one.")
    private RecoveryRecord recovery;
}
