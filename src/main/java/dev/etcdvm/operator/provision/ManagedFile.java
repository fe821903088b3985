package dev.etcdvm.operator.provision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file the operator owns on a machine. Equality of content is decided by SHA-256, so an unchanged
 * file is never rewritten. toString omits the content (it may be a private key).
 */
public record ManagedFile(String path, byte[] content, String mode, String owner, String group) {
    public static ManagedFile text(String path, String content, String mode, String owner, String group) {
        return new ManagedFile(path, content.getBytes(StandardCharsets.UTF_8), mode, owner, group);
    }

    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return path + " (" + mode + " " + owner + ":" + group + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ManagedFile f && f.path.equals(path) && f.sha256().equals(sha256())
                && f.mode.equals(mode) && f.owner.equals(owner) && f.group.equals(group);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }
}
