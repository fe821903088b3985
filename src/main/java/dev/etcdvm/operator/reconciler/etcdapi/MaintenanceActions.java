package dev.etcdvm.operator.reconciler.etcdapi;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;

/** Carries out one maintenance action in etcd; tests substitute a fake that can fail. */
public interface MaintenanceActions {
    /**
     * @return what was done, e.g. "defragmented etcd-2"
     * @throws dev.etcdvm.operator.reconciler.failure.FailureException when etcd refused or could not be reached
     */
    String apply(EtcdVmCluster cluster, ClusterTls tls, MaintenancePlanner.Action action);
}
