package dev.etcdvm.operator.provision;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the probe script found on a machine.
 *
 * @param installedVersion version the installed etcd binary reports, if any
 * @param binaryModified epoch seconds the binary was last replaced (0 when absent)
 * @param dataDir ABSENT, EMPTY, MEMBER (holds an etcd member) or OTHER (non-empty, not etcd)
 * @param marker uid of the EtcdVmCluster that provisioned the machine, if any
 * @param memberId the etcd member id (hex) the data dir was last known to belong to, if recorded
 * @param dataId the identity the operator wrote into the member's data once it ran ({@link HostLayout#DATA_ID_FILE})
 * @param serviceStarted epoch seconds the unit last became active (0 when never)
 * @param portHolders per port: "free", "unknown", or the names of the listening processes
 * @param files per path that exists: its digest, mode, owner, group and modification time
 * @param plannedRestartAt epoch seconds the operator last asked for a planned restart (0 when never)
 * @param paths the directories as the machine resolves them, what is unsafe about them, and its install record
 */
public record HostFacts(String arch, boolean systemd, Optional<String> installedVersion, long binaryModified,
        DataDir dataDir, Optional<String> marker, Optional<String> memberId, Optional<String> dataId,
        String serviceState, boolean serviceEnabled, long serviceStarted,
        Map<Integer, String> portHolders, long diskFreeKiB, Map<String, RemoteFileState> files, long plannedRestartAt,
        MachinePaths paths) {

    public enum DataDir { ABSENT, EMPTY, MEMBER, OTHER }

    /** @param attributes "sha256 mode owner group", compared with the plan's */
    public record RemoteFileState(String attributes, long modified) {
    }

    public boolean serviceActive() {
        return "active".equals(serviceState) || "activating".equals(serviceState) || "reloading".equals(serviceState);
    }

    /** The machine as it is once its old member data has been archived and the service stopped. */
    public HostFacts withDataArchived() {
        return new HostFacts(arch, systemd, installedVersion, binaryModified, DataDir.EMPTY, marker, Optional.empty(), Optional.empty(),
                "inactive", serviceEnabled, 0, portHolders, diskFreeKiB, files, plannedRestartAt, paths);
    }

    /**
     * When the operator asked for the restart this member has not come back from yet: etcd's unit is
     * Type=notify, so it turns active again only once it serves.
     */
    public Optional<Instant> plannedRestartPending() {
        return plannedRestartAt > 0 && serviceStarted <= plannedRestartAt
                ? Optional.of(Instant.ofEpochSecond(plannedRestartAt)) : Optional.empty();
    }

    public boolean hasMemberData() {
        return dataDir == DataDir.MEMBER;
    }
}
