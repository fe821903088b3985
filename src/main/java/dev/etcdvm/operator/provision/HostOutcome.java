package dev.etcdvm.operator.provision;

import java.util.List;

/**
 * What one provisioning pass did on a machine.
 *
 * @param writtenFiles paths rewritten because their content, mode or owner differed
 * @param binaryInstalled whether the etcd release was (re)installed
 * @param started whether the service was started (it was not running)
 * @param restartPending the service runs with files older than those on disk; restart it when safe
 */
public record HostOutcome(List<String> writtenFiles, boolean binaryInstalled, boolean started, boolean restartPending) {
    public boolean changedAnything() {
        return !writtenFiles.isEmpty() || binaryInstalled || started;
    }
}
