package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SnapshotRecord;
import dev.etcdvm.operator.etcd.EtcdException;
import dev.etcdvm.operator.etcd.SnapshotCorruptException;
import dev.etcdvm.operator.etcd.SnapshotInfo;
import dev.etcdvm.operator.objectstore.ObjectStore;
import dev.etcdvm.operator.objectstore.ObjectStoreException;
import dev.etcdvm.operator.objectstore.StoreLocation;
import dev.etcdvm.operator.objectstore.StoredObject;
import dev.etcdvm.operator.objectstore.Upload;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.etcdapi.EtcdConnections;
import dev.etcdvm.operator.reconciler.kube.SecretStore;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a snapshot from one member straight into a multipart upload: etcd's bytes go out part by part as
 * they come, the trailer is checked before the upload is committed (a bad one aborts it, so nothing is
 * visible), and the object's metadata is completed once the whole is known. Then the cluster's snapshots
 * beyond the retention policy are deleted: only keys of the snapshot shape in the cluster's own folder.
 */
public final class StoreBackups implements Backups {
    private static final Logger LOG = LoggerFactory.getLogger(StoreBackups.class);
    static final Duration SNAPSHOT_DEADLINE = Duration.ofMinutes(15);

    private final EtcdConnections etcd;
    private final SecretStore secrets;
    private final Function<StoreLocation, ObjectStore> stores;
    private final SnapshotLocator locator;

    public StoreBackups(EtcdConnections etcd, SecretStore secrets, Function<StoreLocation, ObjectStore> stores) {
        this.etcd = etcd;
        this.secrets = secrets;
        this.stores = stores;
        this.locator = new SnapshotLocator(secrets, stores);
    }

    @Override
    public SnapshotRestore locate(EtcdVmCluster cluster) {
        return locator.locate(cluster);
    }

    @Override
    public SnapshotRestore byKey(EtcdVmCluster cluster, String key) {
        return locator.byKey(cluster, key);
    }

    @Override
    public SnapshotRestore newest(EtcdVmCluster cluster, Instant now) {
        return locator.newest(cluster, now);
    }

    @Override
    public BackupAttempt take(EtcdVmCluster cluster, ClusterTls tls, SnapshotSource source, BackupTrigger trigger,
            Instant now) {
        StoreLocation location;
        try {
            location = StoreCredentials.locate(cluster, secrets);
        } catch (IllegalStateException e) {
            return new BackupAttempt.Failed(trigger, ConditionReason.CredentialsMissing.name(), e.getMessage());
        }
        Instant taken = now.truncatedTo(ChronoUnit.SECONDS);
        String key = SnapshotKeys.key(cluster, taken);
        Map<String, String> metadata = metadata(cluster, source, taken, trigger);
        long started = System.nanoTime();
        try (ObjectStore store = stores.apply(location)) {
            SnapshotInfo info;
            try (Upload upload = store.upload(key, metadata)) {
                info = etcd.of(cluster, tls).snapshot(source.endpoint(), upload.stream(), SNAPSHOT_DEADLINE);
                upload.commit();
            }
            metadata.put("revision", Long.toString(info.revision()));
            metadata.put("size", Long.toString(info.bytes()));
            metadata.put("sha256", info.sha256());
            try {
                store.replaceMetadata(key, metadata);
            } catch (ObjectStoreException e) {
                deleteQuietly(store, key); // without its checksum the object could not be told from a partial one
                throw e;
            }
            SnapshotRecord record = record(key, taken, info, source, trigger, started);
            LOG.info("snapshot {} stored: revision {}, {} bytes from {}", key, info.revision(), info.bytes(), source.member());
            return prune(cluster, store, key, now, trigger, record);
        } catch (SnapshotCorruptException e) {
            return new BackupAttempt.Failed(trigger, ConditionReason.SnapshotCorrupt.name(), e.getMessage());
        } catch (EtcdException e) {
            return new BackupAttempt.Failed(trigger, ConditionReason.EtcdUnavailable.name(), e.getMessage());
        } catch (ObjectStoreException e) {
            return new BackupAttempt.Failed(trigger, reason(e.kind()), e.getMessage());
        }
    }

    private static Map<String, String> metadata(EtcdVmCluster cluster, SnapshotSource source, Instant taken,
            BackupTrigger trigger) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("cluster-uid", cluster.getMetadata().getUid());
        metadata.put("cluster", cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName());
        metadata.put("member", source.member());
        metadata.put("etcd-version", source.version());
        metadata.put("taken-at", taken.toString());
        metadata.put("trigger", trigger.label());
        return metadata;
    }

    private static SnapshotRecord record(String key, Instant taken, SnapshotInfo info, SnapshotSource source,
            BackupTrigger trigger, long startedNanos) {
        SnapshotRecord record = new SnapshotRecord();
        record.setKey(key);
        record.setTime(taken.toString());
        record.setRevision(info.revision());
        record.setSizeBytes(info.bytes());
        record.setSha256(info.sha256());
        record.setMember(source.member());
        record.setDurationMillis((System.nanoTime() - startedNanos) / 1_000_000);
        record.setTrigger(trigger.label());
        return record;
    }

    private static BackupAttempt prune(EtcdVmCluster cluster, ObjectStore store, String taken, Instant now,
            BackupTrigger trigger, SnapshotRecord record) {
        String folder = SnapshotKeys.folder(cluster);
        List<SnapshotKeys.Snapshot> snapshots = new ArrayList<>();
        try {
            for (StoredObject o : store.list(folder)) {
                SnapshotKeys.parse(folder, o.key()).ifPresent(snapshots::add);
            }
            Set<String> keep = Retention.keep(snapshots, cluster.getSpec().getBackup().getRetention(), now);
            int retained = 0;
            for (SnapshotKeys.Snapshot s : snapshots) {
                if (keep.contains(s.key()) || s.key().equals(taken)) {
                    retained++;
                } else {
                    store.delete(s.key());
                    LOG.info("snapshot {} deleted: outside the retention policy", s.key());
                }
            }
            return new BackupAttempt.Taken(trigger, record, retained, Optional.empty());
        } catch (ObjectStoreException e) {
            return new BackupAttempt.Taken(trigger, record, snapshots.size(), Optional.of("pruning failed: " + e.getMessage()));
        }
    }

    private static void deleteQuietly(ObjectStore store, String key) {
        try {
            store.delete(key);
        } catch (ObjectStoreException e) {
            LOG.warn("snapshot {} left without its checksum metadata: {}", key, e.getMessage());
        }
    }

    static String reason(ObjectStoreException.Kind kind) {
        return switch (kind) {
            case CREDENTIALS_REJECTED -> ConditionReason.CredentialsRejected.name();
            case BUCKET_MISSING -> ConditionReason.BucketMissing.name();
            case UNREACHABLE -> ConditionReason.StoreUnreachable.name();
            case OBJECT_MISSING, REFUSED -> ConditionReason.StoreError.name();
        };
    }
}
