package dev.etcdvm.operator.reconciler.observe;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;

/**
 * Reads the machines (through the pass's sessions) and the etcd cluster of a validated resource; never
 * changes anything.
 */
public interface ClusterObserver {
    ObservedCluster observe(EtcdVmCluster cluster, ClusterTls tls, ClusterHosts hosts);

    /** Asks etcd alone, without the machines: how a pass sees the members it just started come up. */
    default EtcdView observeEtcd(EtcdVmCluster cluster, ClusterTls tls) {
        return EtcdView.unavailable("this observer does not ask etcd");
    }

    /** Drops what was kept for a deleted cluster (its etcd connections). */
    default void forget(EtcdVmCluster cluster) {
    }
}
