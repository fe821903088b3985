package dev.etcdvm.operator.api.v1alpha1;

/** How the etcd release reaches a machine. */
public enum BinaryDelivery {
    /** Each machine downloads the release from spec.binary.baseURL. */
    HostDownload,
    /** The operator downloads the release once and streams it to each machine over SFTP. */
    OperatorPush
}
