package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Instant;

/** Takes snapshots into the cluster's object store; behind an interface so decisions can be tested with a fake. */
public interface Backups {
    /**
     * Streams one snapshot from the source member into the store, then prunes the cluster's snapshots per its
     * retention. Never throws: a failure is a {@link BackupAttempt.Failed} saying what to fix.
     */
    BackupAttempt take(EtcdVmCluster cluster, ClusterTls tls, SnapshotSource source, BackupTrigger trigger, Instant now);

    /** For tests that configure no backups. */
    Backups NONE = (cluster, tls, source, trigger, now) -> new BackupAttempt.Failed(trigger, "StoreError",
            "no object store is wired into this operator");
}
