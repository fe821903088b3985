package dev.etcdvm.operator.reconciler.observe;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;

/** Reads the machines of a validated cluster; never changes anything on them. */
public interface ClusterObserver {
    ObservedCluster observe(EtcdVmCluster cluster);
}
