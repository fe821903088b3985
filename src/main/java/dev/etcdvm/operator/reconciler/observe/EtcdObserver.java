package dev.etcdvm.operator.reconciler.observe;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;

/** Asks the etcd cluster about its members, their status and health, over TLS. */
public interface EtcdObserver {
    EtcdView observe(EtcdVmCluster cluster, ClusterTls tls);

    /** Forgets cached connections of a deleted cluster. */
    default void forget(EtcdVmCluster cluster) {
    }
}
