package dev.etcdvm.operator.api.v1alpha1;

/** What happens on the machines when the EtcdVmCluster is deleted. */
public enum DeletionPolicy {
    /** Leave etcd running; stop managing it. */
    Retain,
    /** Stop and disable the etcd services; keep data. */
    StopServices,
    /** Stop services and remove data, certificates, units and binaries. */
    Wipe
}
