package dev.etcdvm.operator.etcd;

/** A streamed snapshot whose database does not match the SHA-256 etcd sent after it: it must not be kept. */
public class SnapshotCorruptException extends EtcdException {
    public SnapshotCorruptException(String endpoint, String reason) {
        super("etcd.snapshot", endpoint, reason, null);
    }
}
