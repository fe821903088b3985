package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SnapshotRecord;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.backup.SnapshotSource;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * An object store for tests: it stores every snapshot it is given, holds one snapshot to restore or check (or none),
 * and refuses on demand like a store does (its answer as the attempt's failure reason).
 */
public final class FakeBackups implements Backups {
    private volatile String refusal;
    private volatile String newest;

    /** From now on every snapshot fails with this reason, e.g. "StoreUnreachable" (null: stored again). */
    public FakeBackups refusing(String reason) {
        refusal = reason;
        return this;
    }

    /** The store holds this snapshot (its bytes are never streamed in tests). */
    public FakeBackups holding(String key) {
        newest = key;
        return this;
    }

    @Override
    public BackupAttempt take(EtcdVmCluster cluster, ClusterTls tls, SnapshotSource source, BackupTrigger trigger,
            Instant now) {
        if (refusal != null) {
            return new BackupAttempt.Failed(trigger, refusal, "the store refused the snapshot");
        }
        SnapshotRecord record = new SnapshotRecord();
        record.setTrigger(trigger.label());
        return new BackupAttempt.Taken(trigger, record, 1, Optional.empty());
    }

    @Override
    public SnapshotRestore locate(EtcdVmCluster cluster) {
        return byKey(cluster, newest);
    }

    @Override
    public SnapshotRestore byKey(EtcdVmCluster cluster, String key) {
        if (key == null || !key.equals(newest)) {
            throw new IllegalStateException("no snapshot " + key + " in the store");
        }
        return new SnapshotRestore(key, 1024, "0".repeat(64), 3, 0, "", "", () -> {
            throw new IOException("snapshots are not streamed in tests");
        });
    }

    @Override
    public SnapshotRestore newest(EtcdVmCluster cluster, Instant now) {
        if (newest == null) {
            throw new IllegalStateException("no snapshot in the store yet");
        }
        return byKey(cluster, newest);
    }
}
