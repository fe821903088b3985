package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.Patterns;
import dev.etcdvm.operator.reconciler.validation.EtcdVersion;
import java.util.Optional;

/**
 * The requested version must be one the operator knows how to run, and reachable from the running
 * version: etcd supports upgrades one minor version at a time and no in-place minor downgrades.
 */
final class VersionRules implements SpecRule {
    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        String requested = cluster.getSpec().getVersion();
        if (!out.requireMatch("spec.version", requested, Patterns.SEMVER, "a version such as 3.5.16")) {
            return;
        }
        EtcdVersion wanted = EtcdVersion.parse(requested);
        if (!wanted.isSupported()) {
            out.add("spec.version", requested + " is not supported; supported are " + EtcdVersion.SUPPORTED_RANGE);
            return;
        }
        runningVersion(cluster).ifPresent(running -> {
            if (running.skipsAMinorTo(wanted)) {
                out.add("spec.version", "upgrade from " + running + " to " + wanted
                        + " skips a minor version; upgrade to " + running.major() + "." + (running.minor() + 1) + " first");
            } else if (wanted.minor() < running.minor()) {
                out.add("spec.version", "downgrade from " + running + " to " + wanted + " is not supported");
            }
        });
    }

    private static Optional<EtcdVersion> runningVersion(EtcdVmCluster cluster) {
        if (cluster.getStatus() == null || cluster.getStatus().getVersion() == null) {
            return Optional.empty();
        }
        return EtcdVersion.tryParse(cluster.getStatus().getVersion());
    }
}
