package dev.etcdvm.operator.reconciler.decide;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A short name derived from what identifies a thing (a declared loss, a member's data): hex digits of a hash, so the
 * same facts give the same name on every pass and an operator restarted midway names it alike.
 */
public final class ShortId {
    private ShortId() {
    }

    /** Ten hex digits: a declared quorum loss (the name a recovery choice must repeat). */
    static String ofLoss(String clusterUid, String etcdClusterId, Instant since) {
        return of(5, clusterUid, etcdClusterId, since.toString());
    }

    /** Sixteen hex digits: the data a member ran on when it was first marked. */
    public static String ofData(String clusterUid, String memberId, Instant markedAt) {
        return of(8, clusterUid, memberId, markedAt.toString());
    }

    private static String of(int bytes, String... parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("/", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
