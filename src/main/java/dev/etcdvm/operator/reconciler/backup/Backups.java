package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Instant;

/**
 * Snapshots in the cluster's object store: taken, and found again to form a new cluster from. Behind an interface
 * so decisions can be tested with a fake.
 */
public interface Backups {
    /**
     * Streams one snapshot from the source member into the store, then prunes the cluster's snapshots per its
     * retention. Never throws: a failure is a {@link BackupAttempt.Failed} saying what to fix.
     */
    BackupAttempt take(EtcdVmCluster cluster, ClusterTls tls, SnapshotSource source, BackupTrigger trigger, Instant now);

    /**
     * The snapshot a new cluster is formed from (spec.bootstrap.fromSnapshot), found and checked in the store.
     *
     * @throws IllegalStateException saying why there is none to restore
     */
    SnapshotRestore locate(EtcdVmCluster cluster);

    /**
     * One snapshot in the cluster's store by its key (a quorum recovery's chosen one), checked like any other.
     *
     * @throws IllegalStateException saying why it cannot be had
     */
    SnapshotRestore byKey(EtcdVmCluster cluster, String key);

    /**
     * The cluster's own newest snapshot, for a restore drill.
     *
     * @throws IllegalStateException saying why there is none to check
     */
    SnapshotRestore newest(EtcdVmCluster cluster, Instant now);

    /** For tests that configure no backups. */
    Backups NONE = new Backups() {
        @Override
        public BackupAttempt take(EtcdVmCluster cluster, ClusterTls tls, SnapshotSource source, BackupTrigger trigger,
                Instant now) {
            return new BackupAttempt.Failed(trigger, ConditionReason.StoreError.name(), "no object store is wired into this operator");
        }

        @Override
        public SnapshotRestore locate(EtcdVmCluster cluster) {
            throw new IllegalStateException("no object store is wired into this operator");
        }

        @Override
        public SnapshotRestore byKey(EtcdVmCluster cluster, String key) {
            throw new IllegalStateException("no object store is wired into this operator");
        }

        @Override
        public SnapshotRestore newest(EtcdVmCluster cluster, Instant now) {
            throw new IllegalStateException("no object store is wired into this operator");
        }
    };
}
