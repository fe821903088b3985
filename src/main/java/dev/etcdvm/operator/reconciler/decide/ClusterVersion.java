package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.validation.EtcdVersion;
import java.util.Optional;

/**
 * etcd's cluster version: the minor every member runs, raised by the leader a little after the last member
 * of a minor upgrade restarted. Until then the upgrade is not done (the new minor's features stay off).
 */
public final class ClusterVersion {
    private ClusterVersion() {
    }

    /** Whether etcd reports a cluster version below the spec's minor. */
    public static boolean behind(EtcdVmCluster cluster, EtcdView etcd) {
        Optional<EtcdVersion> wanted = EtcdVersion.tryParse(cluster.getSpec().getVersion());
        return etcd.clusterVersion().flatMap(EtcdVersion::tryParse)
                .map(current -> wanted.map(w -> current.major() < w.major()
                        || current.major() == w.major() && current.minor() < w.minor()).orElse(false))
                .orElse(false);
    }
}
