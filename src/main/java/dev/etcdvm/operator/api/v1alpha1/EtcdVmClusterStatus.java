package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** Written only by the operator. */
@Data
public class EtcdVmClusterStatus {
    @JsonPropertyDescription("metadata.generation of the spec this status last completed a pass for.")
    private Long observedGeneration;
    @JsonPropertyDescription("Pending, Provisioning, Running, Reconfiguring (membership changing), Upgrading, Updating,"
            + " RotatingCertificates (rolling changes on track), Degraded, Failed or Deleting.")
    private ClusterPhase phase;
    @JsonPropertyDescription("Healthy members out of members in the spec, e.g. 2/3.")
    private String readyMembers;
    @JsonPropertyDescription("Running etcd version: the lowest version any member reports.")
    private String version;
    @JsonPropertyDescription("etcd's cluster version (e.g. 3.5.0): the minor version all members run, raised by"
            + " etcd once the last member runs it; an upgrade is complete only then.")
    private String clusterVersion;
    @JsonPropertyDescription("etcd cluster id, hexadecimal; a member answering with another id freezes all changes.")
    private String clusterId;
    @JsonPropertyDescription("Name of the current raft leader.")
    private String leader;
    @JsonPropertyDescription("Client URLs of the members.")
    private List<String> endpoints = new ArrayList<>();
    @JsonPropertyDescription("Secret with ca.crt, tls.crt, tls.key and endpoints for clients of this cluster.")
    private String clientSecretName;
    @JsonPropertyDescription("When the first of the cluster's certificates expires (RFC 3339); each is renewed"
            + " spec.tls.renewBeforeDays earlier.")
    private String certificatesNotAfter;
    @JsonPropertyDescription("The CA's and certificates' expiry, and where a CA rotation stands.")
    private CertificatesStatus certificates;
    @JsonPropertyDescription("The snapshot the cluster was formed from (spec.bootstrap.fromSnapshot), chosen once"
            + " so every member is restored from the same one.")
    private SnapshotRecord restoredFrom;
    @JsonPropertyDescription("Snapshots: the last one stored, the next scheduled, the last failure.")
    private BackupStatus backup;
    @JsonPropertyDescription("Routine maintenance: a defragmentation round under way, the last one done.")
    private MaintenanceStatus maintenance;
    @JsonPropertyDescription("Standard conditions: SpecValid, HostsReachable, Ready, Progressing, Degraded.")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("One entry per member of the spec.")
    private List<MemberStatus> members = new ArrayList<>();
    @JsonPropertyDescription("Machines that left the spec (scale-down, host swap) until their member is removed from"
            + " etcd and their service stopped; progress that must survive an operator restart.")
    private List<MemberStatus> retiringMembers = new ArrayList<>();
    @JsonPropertyDescription("The highest raft committed index the cluster's leader has reported: a leader answering"
            + " below it means the data was lost (re-formed empty, or restored from an older copy).")
    private Long highestRaftIndex;
    @JsonPropertyDescription("The highest store revision the cluster's leader has reported: what a quorum-loss"
            + " recovery may lose is the range between what it keeps and this.")
    private Long highestRevision;
    @JsonPropertyDescription("Set while a majority of the voting members is out and no member leads: since when, who,"
            + " and what each way out would keep (see the etcdvm.dev/recover-quorum annotation).")
    private QuorumLossStatus quorumLoss;
    @JsonPropertyDescription("The last quorum-loss recovery: what it kept, and whether the possible loss was acknowledged.")
    private RecoveryRecord lastRecovery;
    @JsonPropertyDescription("The last value of the etcdvm.dev/accept-data-loss annotation acted on.")
    private String acceptedDataLoss;
}
