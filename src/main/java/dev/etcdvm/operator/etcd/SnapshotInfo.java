package dev.etcdvm.operator.etcd;

/**
 * A snapshot as it was streamed: etcd's bolt database followed by its SHA-256 (the trailer etcd appends, which
 * {@code etcdutl snapshot restore} checks), verified while streaming.
 *
 * @param endpoint the member it came from
 * @param bytes bytes streamed, trailer included
 * @param sha256 hex SHA-256 of the database, as etcd sent it in the trailer and as recomputed
 * @param revision the member's revision just before the snapshot started: the snapshot holds at least this
 */
public record SnapshotInfo(String endpoint, long bytes, String sha256, long revision) {
}
