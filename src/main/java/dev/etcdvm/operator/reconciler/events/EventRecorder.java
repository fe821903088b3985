package dev.etcdvm.operator.reconciler.events;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;

/** Publishes Kubernetes Events about a cluster. */
public interface EventRecorder {
    void record(EtcdVmCluster cluster, EventReason reason, String message);
}
