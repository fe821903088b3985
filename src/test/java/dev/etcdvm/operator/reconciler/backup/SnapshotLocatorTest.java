package dev.etcdvm.operator.reconciler.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.BootstrapSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.api.v1alpha1.SnapshotSourceSpec;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.kube.SecretStore;
import dev.etcdvm.operator.support.Specs;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotLocatorTest {
    private static final String FOLDER = "prod/ns/old/uid-1/";
    private final MemoryStore store = new MemoryStore();
    private final SecretStore secrets = new SecretStore() {
        @Override
        public Optional<Map<String, String>> read(String namespace, String name) {
            return Optional.of(Map.of("accessKeyId", "id", "secretAccessKey", "secret"));
        }

        @Override
        public void write(EtcdVmCluster owner, String name, Map<String, String> data) {
            throw new UnsupportedOperationException();
        }
    };
    private final SnapshotLocator locator = new SnapshotLocator(secrets, location -> store);

    private static EtcdVmCluster restoring(String createdAt) {
        EtcdVmCluster cluster = Specs.threeMembers("new", "ns");
        cluster.getMetadata().setUid("uid-2");
        cluster.getMetadata().setCreationTimestamp(createdAt);
        cluster.getSpec().setBackup(new BackupSpec());
        cluster.getSpec().getBackup().setStore(new BackupStoreSpec());
        cluster.getSpec().getBackup().getStore().setEndpoint("http://store.example:9000");
        cluster.getSpec().getBackup().getStore().setBucket("backups");
        cluster.getSpec().getBackup().getStore().setCredentialsSecretRef(new SecretRef("creds"));
        cluster.getSpec().setBootstrap(new BootstrapSpec());
        cluster.getSpec().getBootstrap().setFromSnapshot(new SnapshotSourceSpec());
        cluster.getSpec().getBootstrap().getFromSnapshot().setLatestUnder(FOLDER);
        return cluster;
    }

    /** A snapshot as etcd sends it: the database, then its SHA-256. */
    private void snapshot(String name, String database, boolean withChecksum) throws Exception {
        byte[] db = database.getBytes();
        byte[] sum = MessageDigest.getInstance("SHA-256").digest(db);
        byte[] content = Arrays.copyOf(db, db.length + 32);
        System.arraycopy(sum, 0, content, db.length, 32);
        store.put(FOLDER + name, content, withChecksum
                ? Map.of("sha256", HexFormat.of().formatHex(sum), "revision", "41") : Map.of("revision", "41"));
    }

    @Test
    void latestMeansTheNewestTakenBeforeTheClusterWasCreated() throws Exception {
        snapshot("20261126T090000Z.db", "nine", true);
        snapshot("20261126T100000Z.db", "ten", true);
        snapshot("20261126T110000Z.db", "eleven, after the new cluster was created", true);
        store.put(FOLDER + "notes.txt", new byte[1], Map.of());

        SnapshotRestore restore = locator.locate(restoring("2026-11-26T10:30:00Z"));
        assertThat(restore.key()).isEqualTo(FOLDER + "20261126T100000Z.db");
        assertThat(restore.revision()).isEqualTo(41);
        assertThat(restore.token()).isEqualTo("uid-2");
        assertThat(restore.initialCluster()).startsWith("etcd-1=https://").contains(",etcd-2=https://");
        try (InputStream in = restore.content().open()) {
            assertThat(new String(in.readAllBytes(), 0, 3)).isEqualTo("ten");
        }
    }

    @Test
    void anObjectWithoutItsChecksumIsNotTakenAndNoneBeforeCreationIsAnError() throws Exception {
        snapshot("20261126T090000Z.db", "partial", false);
        assertThatThrownBy(() -> locator.locate(restoring("2026-11-26T10:30:00Z")))
                .hasMessageContaining("no sha256 metadata");
        assertThatThrownBy(() -> locator.locate(restoring("2026-11-26T08:00:00Z")))
                .hasMessageContaining("no snapshot under " + FOLDER);
    }

    @Test
    void bytesChangedInTheStoreFailTheStreamAtItsEnd() throws Exception {
        snapshot("20261126T090000Z.db", "the database", true);
        byte[] flipped = store.open(FOLDER + "20261126T090000Z.db").readAllBytes();
        flipped[2] ^= 1;
        store.put(FOLDER + "20261126T090000Z.db", flipped, store.head(FOLDER + "20261126T090000Z.db").orElseThrow().metadata());

        SnapshotRestore restore = locator.locate(restoring("2026-11-26T10:30:00Z"));
        try (InputStream in = restore.content().open()) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
        }
    }
}
