package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.kube.SecretReader;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;

/** Resolves a cluster's SSH credentials into sessions to its machines; once per pass. */
@FunctionalInterface
public interface ClusterAccess {
    /** Never fails: unusable credentials give sessions that all fail with the reason. */
    ClusterHosts forCluster(EtcdVmCluster cluster, SecretReader secrets);
}
