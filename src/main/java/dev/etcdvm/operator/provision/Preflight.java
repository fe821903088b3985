package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.provision.ProvisionException.Reason;
import java.util.List;

/** Refuses machines that cannot or must not run this member, before anything is installed. */
public final class Preflight {
    /** etcd's own guidance starts well above this; below it a member cannot even take a snapshot. */
    static final long MIN_FREE_KIB = 512 * 1024;

    private Preflight() {
    }

    public static void check(MemberPlan plan, HostFacts facts) throws ProvisionException {
        if (ReleaseSource.assetArch(facts.arch()).isEmpty()) {
            throw new ProvisionException(Reason.PreflightFailed, "unsupported architecture " + facts.arch());
        }
        if (!facts.systemd()) {
            throw new ProvisionException(Reason.PreflightFailed, "systemd is not running on this machine");
        }
        List<String> unsafe = facts.paths().problems();
        if (!unsafe.isEmpty()) {
            throw new ProvisionException(Reason.UnsafePath, String.join("; ", unsafe) + "; nothing was done on this machine");
        }
        boolean ours = facts.marker().map(plan.clusterUid()::equals).orElse(false);
        if (facts.marker().isPresent() && !ours) {
            throw new ProvisionException(Reason.ForeignData, "machine belongs to another EtcdVmCluster (uid "
                    + facts.marker().get() + "); left untouched");
        }
        if (!ours && (facts.dataDir() == HostFacts.DataDir.MEMBER || facts.dataDir() == HostFacts.DataDir.OTHER)) {
            throw new ProvisionException(Reason.ForeignData, plan.layout().dataDir()
                    + " already holds data not created by this cluster; left untouched");
        }
        for (var port : facts.portHolders().entrySet()) {
            String holders = port.getValue();
            boolean free = holders.equals("free") || holders.equals("unknown");
            boolean ourEtcd = ours && holders.trim().equals("etcd");
            if (!free && !ourEtcd) {
                throw new ProvisionException(Reason.PreflightFailed,
                        "port " + port.getKey() + " is in use by " + holders.trim());
            }
        }
        if (facts.diskFreeKiB() >= 0 && facts.diskFreeKiB() < MIN_FREE_KIB && !facts.hasMemberData()) {
            throw new ProvisionException(Reason.PreflightFailed, "only " + facts.diskFreeKiB() / 1024
                    + " MiB free for " + plan.layout().dataDir() + "; at least " + MIN_FREE_KIB / 1024 + " MiB needed");
        }
    }
}
