package dev.etcdvm.operator.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a machine says about the directories the spec names, before anything is done there.
 *
 * @param realDataDir the data directory as the machine resolves it (symlinks followed); empty when not probed
 * @param realInstallDir the install directory as the machine resolves it
 * @param unsafe what the machine found wrong: world-writable directories, mounts inside, an etcd binary
 *     someone other than root may have changed
 * @param recorded the install record written when this cluster provisioned the machine: "data", "bin",
 *     "user", "client-port", "peer-port"
 */
public record MachinePaths(String realDataDir, String realInstallDir, List<String> unsafe,
        Map<String, String> recorded) {
    public static final MachinePaths NONE = new MachinePaths("", "", List.of(), Map.of());

    /** Every reason the operator must not own these directories on this machine. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>(unsafe);
        if (!realDataDir.isEmpty()) {
            SystemPaths.dataDirProblem(realDataDir).map(p -> "the data directory resolves to " + p).ifPresent(problems::add);
        }
        if (!realInstallDir.isEmpty()) {
            SystemPaths.installDirProblem(realInstallDir).map(p -> "the install directory resolves to " + p)
                    .ifPresent(problems::add);
        }
        return problems;
    }

    /** The value this machine recorded for {@code key} when it was provisioned, if it recorded one. */
    public Optional<String> recorded(String key) {
        return Optional.ofNullable(recorded.get(key));
    }
}
