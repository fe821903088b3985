package dev.etcdvm.operator.provision;

import java.io.IOException;
import java.io.InputStream;

/**
 * The snapshot every founder of a new cluster is restored from instead of starting empty.
 *
 * @param sizeBytes the stored object's size: the room it needs on a machine
 * @param sha256 the database's SHA-256 the snapshot must end in (checked on the machine before restoring)
 * @param revision the revision the snapshot holds at least
 * @param bumpRevisionBy how far etcd's revision is moved past the snapshot's (0 where the tool cannot: 3.4)
 * @param initialCluster every founder as name=peerURL, the membership the restored data starts with
 * @param token the new cluster's token, so it never merges with the one the snapshot came from
 * @param content opens the snapshot's bytes, once per machine, streamed (never held whole)
 */
public record SnapshotRestore(String key, long sizeBytes, String sha256, long revision, long bumpRevisionBy, String initialCluster,
        String token, Content content) {

    /** Where the bytes come from (the object store); each call is a new stream. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    @Override
    public String toString() {
        return key;
    }
}
