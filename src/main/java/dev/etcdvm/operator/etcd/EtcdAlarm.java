package dev.etcdvm.operator.etcd;

/**
 * An active cluster alarm ({@code etcdctl alarm list}).
 *
 * @param type "NOSPACE", "CORRUPT", or "UNKNOWN" for a type this client cannot name
 */
public record EtcdAlarm(long memberId, String type) {
    @Override
    public String toString() {
        return type + " on " + EtcdMember.hex(memberId);
    }
}
