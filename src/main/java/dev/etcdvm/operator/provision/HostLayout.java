package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterSpec;
import java.util.List;

/**
 * Where things live on a machine. One etcd member per machine: the unit is etcd.service and the
 * configuration sits under /etc/etcd, as in etcd's own systemd guides.
 */
public record HostLayout(String installDir, String dataDir, String runAsUser) {
    public static final String CONFIG_DIR = "/etc/etcd";
    public static final String PKI_DIR = CONFIG_DIR + "/pki";
    public static final String CA_CERT = PKI_DIR + "/ca.crt";
    public static final String SERVER_CERT = PKI_DIR + "/server.crt";
    public static final String SERVER_KEY = PKI_DIR + "/server.key";
    public static final String PEER_CERT = PKI_DIR + "/peer.crt";
    public static final String PEER_KEY = PKI_DIR + "/peer.key";
    public static final String ENV_FILE = CONFIG_DIR + "/etcd.env";
    /** Read by etcd only when its data dir is empty; written only then, so it never restarts a member. */
    public static final String INITIAL_ENV_FILE = CONFIG_DIR + "/initial-cluster.env";
    /** Names the EtcdVmCluster (by uid) a machine belongs to; a data dir without our marker is foreign. */
    public static final String MARKER_FILE = CONFIG_DIR + "/cluster-uid";
    /**
     * The etcd member id (hex) a machine's data belongs to, written when it joins or is first seen healthy:
     * a joining machine whose data belongs to another id must not start on it.
     */
    public static final String MEMBER_ID_FILE = CONFIG_DIR + "/member-id";
    /** What this machine was provisioned with: see {@link InstallRecord}. */
    public static final String INSTALL_RECORD_FILE = CONFIG_DIR + "/install-record";
    /**
     * When (epoch seconds) the operator last asked for a planned restart: a member not back since then is
     * coming back on schedule, or, past the rollout deadline, has stalled the rollout.
     */
    public static final String PLANNED_RESTART_FILE = CONFIG_DIR + "/planned-restart";
    /**
     * The identity of a member's data, under its data dir: written once the member first runs as a voter, inside
     * member/ so that emptying or replacing the data takes it along (etcd ignores files it does not know there).
     */
    public static final String DATA_ID_FILE = "member/etcdvm-data-id";
    /**
     * The machine's lock, held by every script that changes the machine (see lib/lock.sh). Under /run: only root
     * may create files there, and a lock lives no longer than the boot it was taken in.
     */
    public static final String LOCK_FILE = "/run/etcdvm-operator.lock";
    public static final String UNIT_NAME = "etcd.service";
    public static final String UNIT_FILE = "/etc/systemd/system/" + UNIT_NAME;

    /** Every file a plan may hold, so one probe covers them all whatever the plan turns out to be. */
    public static final List<String> MANAGED_FILES = List.of(
            CA_CERT, SERVER_CERT, SERVER_KEY, PEER_CERT, PEER_KEY, ENV_FILE, MARKER_FILE, UNIT_FILE, INITIAL_ENV_FILE,
            MEMBER_ID_FILE, INSTALL_RECORD_FILE);

    public static HostLayout of(EtcdVmClusterSpec spec) {
        return new HostLayout(spec.getBinary().getInstallDir(), spec.getEtcd().getDataDir(), spec.getEtcd().getRunAsUser());
    }

    public String dataIdFile() {
        return dataDir + "/" + DATA_ID_FILE;
    }

    public String etcdBinary() {
        return installDir + "/etcd";
    }
}
