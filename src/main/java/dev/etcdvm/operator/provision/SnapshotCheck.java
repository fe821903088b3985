package dev.etcdvm.operator.provision;

/** What the version's own tool read from a snapshot (etcdutl snapshot status) that also restored. */
public record SnapshotCheck(long hash, long revision, long totalKeys, long totalSize) {
}
