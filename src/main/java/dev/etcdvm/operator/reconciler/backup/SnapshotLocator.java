package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.SnapshotSourceSpec;
import dev.etcdvm.operator.objectstore.ObjectStore;
import dev.etcdvm.operator.objectstore.ObjectStoreException;
import dev.etcdvm.operator.objectstore.StoreLocation;
import dev.etcdvm.operator.objectstore.StoredObject;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.kube.SecretStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the snapshot a new cluster is restored from (spec.bootstrap.fromSnapshot). "Latest" means the newest
 * snapshot taken before the cluster resource was created, so every pass, and every founder, finds the same
 * one even while the old cluster still writes new snapshots. Only an object with the checksum metadata the
 * operator adds after a complete upload is taken.
 */
public final class SnapshotLocator {
    /** How far a restored cluster's revision is moved past the snapshot's: more than any cluster writes in between. */
    public static final long REVISION_BUMP = 1_000_000_000L;

    private final SecretStore secrets;
    private final Function<StoreLocation, ObjectStore> stores;

    public SnapshotLocator(SecretStore secrets, Function<StoreLocation, ObjectStore> stores) {
        this.secrets = secrets;
        this.stores = stores;
    }

    /** Whether this pass forms the cluster from a snapshot: asked for, and the cluster never formed. */
    public static boolean forming(EtcdVmCluster cluster) {
        return cluster.getSpec().getBootstrap() != null && cluster.getSpec().getBootstrap().getFromSnapshot() != null
                && (cluster.getStatus() == null || cluster.getStatus().getClusterId() == null);
    }

    /** @throws IllegalStateException saying why there is no snapshot to restore (nothing is then formed) */
    public SnapshotRestore locate(EtcdVmCluster cluster) {
        SnapshotSourceSpec source = cluster.getSpec().getBootstrap().getFromSnapshot();
        return find(cluster, store -> source.getKey() != null ? source.getKey()
                : latest(store, source.getLatestUnder(), created(cluster)));
    }

    /** One snapshot of the store by its key, checked like any other (a quorum recovery's chosen one). */
    public SnapshotRestore byKey(EtcdVmCluster cluster, String key) {
        return find(cluster, store -> key);
    }

    /** The cluster's own newest snapshot (for a restore drill). */
    public SnapshotRestore newest(EtcdVmCluster cluster, Instant now) {
        return find(cluster, store -> latest(store, SnapshotKeys.folder(cluster), now));
    }

    private SnapshotRestore find(EtcdVmCluster cluster, Function<ObjectStore, String> which) {
        StoreLocation location = StoreCredentials.locate(cluster, secrets);
        try (ObjectStore store = stores.apply(location)) {
            String key = which.apply(store);
            StoredObject object = store.head(key).orElseThrow(() -> new IllegalStateException("snapshot " + key
                    + " is not in bucket " + location.bucket()));
            String sha256 = object.metadata().get("sha256");
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException("object " + key + " has no sha256 metadata: not a complete snapshot"
                        + " stored by the operator");
            }
            String revision = object.metadata().getOrDefault("revision", "0");
            if (!revision.matches("[0-9]{1,18}")) {
                throw new IllegalStateException("object " + key + " has revision metadata '" + revision
                        + "', not a revision: not a snapshot stored by the operator");
            }
            return new SnapshotRestore(key, object.size(), sha256, Long.parseLong(revision), REVISION_BUMP, initialCluster(cluster),
                    cluster.getMetadata().getUid(), () -> {
                        ObjectStore reader = stores.apply(location);
                        try {
                            return new VerifiedSnapshotStream(reader.open(key), key, sha256, reader);
                        } catch (RuntimeException e) {
                            reader.close();
                            throw e;
                        }
                    });
        } catch (ObjectStoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String latest(ObjectStore store, String under, Instant notAfter) {
        String folder = under.isEmpty() || under.endsWith("/") ? under : under + "/";
        return store.list(folder).stream().map(o -> SnapshotKeys.parse(folder, o.key())).flatMap(Optional::stream)
                .filter(s -> !s.time().isAfter(notAfter))
                .max(Comparator.comparing(SnapshotKeys.Snapshot::time)).map(SnapshotKeys.Snapshot::key)
                .orElseThrow(() -> new IllegalStateException("no snapshot under " + folder + " taken before "
                        + notAfter));
    }

    private static Instant created(EtcdVmCluster cluster) {
        String timestamp = cluster.getMetadata().getCreationTimestamp();
        return timestamp == null ? Instant.now() : Instant.parse(timestamp);
    }

    private static String initialCluster(EtcdVmCluster cluster) {
        int port = cluster.getSpec().getEtcd().getPeerPort();
        return cluster.getSpec().getMembers().stream()
                .map((MemberSpec m) -> m.getName() + "=" + EtcdUrls.peerUrl(m.getAddress(), port))
                .collect(Collectors.joining(","));
    }
}
