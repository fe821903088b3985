package dev.etcdvm.operator.reconciler.backup;

/** The member a snapshot is streamed from: its name, its client URL and the etcd version it runs. */
public record SnapshotSource(String member, String endpoint, String version) {
}
