package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** etcd's own settings, the same on every member. */
@Data
@ValidationRule(value = "!has(self.clientPort) || !has(self.peerPort) || self.clientPort != self.peerPort",
        message = "clientPort and peerPort must differ")
@ValidationRule(value = "!has(self.metricsPort) || self.metricsPort == 0"
        + " || ((!has(self.clientPort) || self.metricsPort != self.clientPort)"
        + " && (!has(self.peerPort) || self.metricsPort != self.peerPort))",
        message = "metricsPort must differ from clientPort and peerPort")
@ValidationRule(value = "!has(self.electionTimeoutMillis) || !has(self.heartbeatIntervalMillis)"
        + " || self.electionTimeoutMillis >= 5 * self.heartbeatIntervalMillis",
        message = "electionTimeoutMillis must be at least 5 times heartbeatIntervalMillis")
public class EtcdSpec {
    /** etcd refuses election timeouts above 50 s. */
    public static final int MAX_ELECTION_TIMEOUT_MILLIS = 50_000;
    public static final int MIN_ELECTION_TO_HEARTBEAT_RATIO = 5;
    /** etcd warns that backends above 8 GiB are unsupported. */
    public static final long MAX_QUOTA_BACKEND_BYTES = 8L * 1024 * 1024 * 1024;

    @ValidationRule(value = "self == oldSelf", message = "clientPort cannot be changed: running members depend on it (see the README's transition table)")
    @Default("2379")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port for client traffic (TLS).")
    private int clientPort = 2379;

    @ValidationRule(value = "self == oldSelf", message = "peerPort cannot be changed: running members depend on it (see the README's transition table)")
    @Default("2380")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port for peer traffic (TLS).")
    private int peerPort = 2380;

    @Default("2381")
    @Min(0)
    @Max(65535)
    @JsonPropertyDescription("Port of each member's metrics listener (plain HTTP /metrics and /health on the member's"
            + " address, etcd's --listen-metrics-urls) for Prometheus; 0 turns it off. Changing it restarts members one"
            + " at a time.")
    private int metricsPort = 2381;

    @ValidationRule(value = "self == oldSelf", message = "dataDir cannot be changed: running members depend on it (see the README's transition table)")
    @Default("/var/lib/etcd")
    @Pattern(Patterns.ABSOLUTE_PATH)
    @JsonPropertyDescription("etcd data directory on each machine (created with mode 0700).")
    private String dataDir = "/var/lib/etcd";

    @ValidationRule(value = "self == oldSelf", message = "runAsUser cannot be changed: running members depend on it (see the README's transition table)")
    @Default("etcd")
    @Pattern(Patterns.UNIX_USER)
    @JsonPropertyDescription("System user that runs etcd; created when missing.")
    private String runAsUser = "etcd";

    @Default("100")
    @Min(10)
    @Max(10000)
    @JsonPropertyDescription("Raft heartbeat interval in milliseconds (etcd --heartbeat-interval).")
    private int heartbeatIntervalMillis = 100;

    @Default("1000")
    @Min(50)
    @Max(MAX_ELECTION_TIMEOUT_MILLIS)
    @JsonPropertyDescription("Raft election timeout in milliseconds (etcd --election-timeout); at least 5x the heartbeat, at most 50000.")
    private int electionTimeoutMillis = 1000;

    @Default("2147483648")
    @Min(0)
    @Max(MAX_QUOTA_BACKEND_BYTES)
    @JsonPropertyDescription("Backend size quota in bytes (etcd --quota-backend-bytes); 0 means etcd's default of 2 GiB.")
    private long quotaBackendBytes = 2L * 1024 * 1024 * 1024;

    @Default("0")
    @Pattern(Patterns.COMPACTION_RETENTION)
    @JsonPropertyDescription("etcd --auto-compaction-retention: hours, or a duration such as 30m; 0 turns it off.")
    private String autoCompactionRetention = "0";
}
