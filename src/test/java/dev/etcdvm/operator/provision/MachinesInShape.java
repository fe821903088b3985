package dev.etcdvm.operator.provision;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Probe results of machines running their member exactly as planned, or with one thing drifted. */
public final class MachinesInShape {
    private MachinesInShape() {
    }

    /** The plan's binary, files and service, started after its files were written: nothing to do there. */
    public static HostFacts running(MemberPlan plan, String uid, String memberId) {
        return running(plan, uid, memberId, plan.release().version());
    }

    /** In shape but for the binary: {@code version} is installed, so the member is due for a restart. */
    public static HostFacts running(MemberPlan plan, String uid, String memberId, String version) {
        Map<String, HostFacts.RemoteFileState> files = new HashMap<>();
        plan.wantedFiles(true).forEach(f -> files.put(f.path(), new HostFacts.RemoteFileState(MachineDrift.attributes(f), 100)));
        return new HostFacts("x86_64", true, Optional.of(version), 100, HostFacts.DataDir.MEMBER, Optional.of(uid),
                Optional.of(memberId), Optional.of("data-" + memberId), "active", true, 200, Map.of(2379, "etcd", 2380, "etcd"), 10_000_000, files, 0,
                MachinePaths.NONE);
    }
}
