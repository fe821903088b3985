package dev.etcdvm.operator.etcd;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Passes a snapshot stream through unchanged while checking etcd's trailer: the last 32 bytes must be the
 * SHA-256 of everything before them. Only those 32 bytes are held back from the digest, never the stream.
 */
public final class TrailerCheck extends FilterOutputStream {
    static final int TRAILER = 32;
    private final MessageDigest digest;
    private final byte[] tail = new byte[TRAILER];
    private int held;
    private long written;

    public TrailerCheck(OutputStream sink) {
        super(sink);
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written += len;
        // Of held + len bytes, all but the last TRAILER are known not to be the trailer: digest those.
        int total = held + len;
        int release = Math.max(0, total - TRAILER);
        int fromTail = Math.min(release, held);
        digest.update(tail, 0, fromTail);
        int fromInput = release - fromTail;
        digest.update(b, off, fromInput);
        byte[] keep = new byte[total - release];
        int keptFromTail = held - fromTail;
        System.arraycopy(tail, fromTail, keep, 0, keptFromTail);
        System.arraycopy(b, off + fromInput, keep, keptFromTail, len - fromInput);
        System.arraycopy(keep, 0, tail, 0, keep.length);
        held = keep.length;
    }

    public long written() {
        return written;
    }

    /** The database's SHA-256 (hex) when the trailer matches it; empty when it does not or is missing. */
    public Optional<String> verified() {
        if (held < TRAILER) {
            return Optional.empty();
        }
        byte[] sum;
        try {
            sum = ((MessageDigest) digest.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        return Arrays.equals(sum, tail) ? Optional.of(HexFormat.of().formatHex(sum)) : Optional.empty();
    }
}
