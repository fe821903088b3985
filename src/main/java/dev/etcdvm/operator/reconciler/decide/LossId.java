package dev.etcdvm.operator.reconciler.decide;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** The short name of a declared quorum loss: ten hex digits of a hash over what identifies it. */
final class LossId {
    private LossId() {
    }

    static String of(String clusterUid, String etcdClusterId, Instant since) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((clusterUid + "/" + etcdClusterId + "/" + since).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
