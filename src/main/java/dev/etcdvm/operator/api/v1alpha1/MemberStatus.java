package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** What the operator last saw of one member. */
@Data
public class MemberStatus {
    @JsonPropertyDescription("Member name from the spec.")
    private String name;
    @JsonPropertyDescription("Machine address from the spec.")
    private String address;
    @JsonPropertyDescription("etcd member id, hexadecimal.")
    private String id;
    @JsonPropertyDescription("Identity of the member's data, written into its data dir (member/etcdvm-data-id) once it"
            + " first ran as a healthy voter. A member found running under the same id on data without it was emptied"
            + " or replaced: DataLossDetected.")
    private String dataId;
    @JsonPropertyDescription("SSH port of the machine when it differs from spec.ssh.port; kept so a member that leaves"
            + " the spec can still be reached to stop it.")
    private Integer sshPort;
    @JsonPropertyDescription("Provisioning, Joining, Learner, Running, Unhealthy, Unreachable, Removing, Retiring or Failed.")
    private String phase;
    @JsonPropertyDescription("True when the member committed a health-check read.")
    private Boolean healthy;
    @JsonPropertyDescription("True when this member is the raft leader.")
    private Boolean leader;
    @JsonPropertyDescription("True while the member is a non-voting learner.")
    private Boolean learner;
    @JsonPropertyDescription("etcd server version the member reports.")
    private String version;
    @JsonPropertyDescription("Backend database size in bytes.")
    private Long dbSizeBytes;
    @JsonPropertyDescription("Backend database bytes in use.")
    private Long dbSizeInUseBytes;
    @JsonPropertyDescription("Raft term the member reports.")
    private Long raftTerm;
    @JsonPropertyDescription("Raft index the member reports.")
    private Long raftIndex;
    @JsonPropertyDescription("Milliseconds the health-check read took to commit.")
    private Long healthLatencyMillis;
    @JsonPropertyDescription("SHA256 fingerprint of the machine's SSH host key as last verified.")
    private String hostKeyFingerprint;
    @JsonPropertyDescription("When the member was last probed (RFC 3339).")
    private String lastProbeTime;
    @JsonPropertyDescription("Since when the member has been unhealthy (RFC 3339); absent while healthy.")
    private String unhealthySince;
    @JsonPropertyDescription("Human-readable detail, e.g. why the member is unhealthy.")
    private String message;
}
