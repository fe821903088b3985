package dev.etcdvm.operator.reconciler.status;

/** The condition types the operator maintains on every EtcdVmCluster. */
public enum ConditionType {
    /** The spec passed validation; False means nothing is done on any machine. */
    SpecValid,
    /** Every machine accepted an SSH login with a verified host key. */
    HostsReachable,
    /** Every member is healthy. */
    Ready,
    /** The operator is changing something on the machines or in the membership. */
    Progressing,
    /** The cluster serves but some members are unhealthy or unreachable. */
    Degraded,
    /** Every certificate and CA can be renewed before it expires; False when the user's CA is about to run out. */
    CertificatesRenewable,
    /** Snapshots are stored as scheduled; False after a failed or missed one. Absent without spec.backup. */
    BackupHealthy,
    /** A quorum-loss recovery may have lost writes (the message names the revisions); present until acknowledged. */
    DataLossPossible
}
