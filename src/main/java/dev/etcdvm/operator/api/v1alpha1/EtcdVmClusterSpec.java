package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import lombok.Data;

/** The desired etcd cluster. The operator only reads it. */
@Data
public class EtcdVmClusterSpec {
    public static final int MAX_MEMBERS = 9;

    @Required
    @Pattern(Patterns.SEMVER)
    @JsonPropertyDescription("etcd version to run, without the leading v, e.g. 3.5.16.")
    private String version;

    @Required
    @Size(min = 1, max = MAX_MEMBERS)
    @ValidationRule(value = "self.all(m, self.exists_one(o, o.name == m.name))", message = "member names must be unique")
    @ValidationRule(value = "self.all(m, self.exists_one(o, o.address == m.address))", message = "member addresses must be unique")
    @JsonPropertyDescription("The machines, one etcd member each (1 to 9; an odd count tolerates the most failures).")
    private List<MemberSpec> members = new ArrayList<>();

    @Required
    @JsonPropertyDescription("How the operator logs in to the machines.")
    private SshSpec ssh;

    @JsonPropertyDescription("Where the etcd release comes from and where it is installed.")
    private BinarySpec binary = new BinarySpec();

    @JsonPropertyDescription("etcd settings shared by all members.")
    private EtcdSpec etcd = new EtcdSpec();

    @JsonPropertyDescription("Certificates; TLS is always on for clients and peers.")
    private TlsSpec tls = new TlsSpec();

    @JsonPropertyDescription("What a new cluster starts from (a snapshot); read only while the cluster forms.")
    private BootstrapSpec bootstrap;

    @JsonPropertyDescription("Scheduled and on-demand snapshots to an S3-compatible store; unset means none.")
    private BackupSpec backup;

    @JsonPropertyDescription("Routine chores: defragmentation by fragmentation or schedule, NOSPACE recovery.")
    private MaintenanceSpec maintenance = new MaintenanceSpec();

    @Default("Retain")
    @JsonPropertyDescription("On deletion: Retain leaves etcd running, StopServices stops it, Wipe also removes data and files.")
    private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

    @JsonPropertyDescription("When true the operator observes and reports but changes nothing (the annotation"
            + " etcdvm.dev/paused=true does the same).")
    private boolean paused;

    @Min(0)
    @Max(86400)
    @Default("30")
    @JsonPropertyDescription("A voting member unhealthy this long whose machine answers but holds no data for it (e.g."
            + " the machine was rebuilt) is removed and re-added as a learner; 0 turns this off. A machine that is"
            + " simply down is never replaced.")
    private int replaceFailedMemberAfterSeconds = 30;

    @Min(5)
    @Max(86400)
    @Default("30")
    @JsonPropertyDescription("A majority of the voting members out (machines answering without the member's data, or"
            + " unreachable) with no leader in sight for this long is declared: QuorumLost, or Unreachable when the"
            + " unreachable voters could be a majority between them. Ready False, every change frozen, nothing done"
            + " until the etcdvm.dev/recover-quorum annotation names the loss and a way out.")
    private int quorumLossAfterSeconds = 30;

    @Min(10)
    @Max(86400)
    @Default("120")
    @JsonPropertyDescription("How long a member may take to serve again after a planned restart (new version,"
            + " configuration or trusted CA) before the rollout halts with RolloutStalled and nothing more is restarted.")
    private int restartDeadlineSeconds = 120;
}
