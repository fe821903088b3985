package dev.etcdvm.operator.etcd;

import java.util.List;

/** One entry of etcd's member list. A member added but not yet started has an empty name. */
public record EtcdMember(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    public EtcdMember {
        name = name == null ? "" : name;
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /** The id as etcd prints it ({@code etcdctl member list}): lowercase hex of the unsigned 64-bit value. */
    public String hexId() {
        return hex(id);
    }

    /** etcd ids are uint64; Java's unsigned hex gives the same digits for ids above Long.MAX_VALUE. */
    public static String hex(long id) {
        return Long.toHexString(id);
    }

    /** Parses etcd's hex form back into an id. */
    public static long parseHex(String hexId) {
        return Long.parseUnsignedLong(hexId, 16);
    }
}
