package dev.etcdvm.operator.e2e;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The consumer Secret as a program sees it when the Secret is mounted: its keys as files in one directory, kept
 * current (each file replaced by a rename, as the kubelet swaps a mounted Secret) by {@link #refresh()}, which a
 * test calls on a short period.
 */
final class ConsumerFiles {
    static final List<String> KEYS = List.of("ca.crt", "tls.crt", "tls.key", "endpoints");

    private final Supplier<Secret> secret;
    private final Path dir;
    private final Optional<UserPrincipal> owner;
    private final Map<String, byte[]> written = new ConcurrentHashMap<>();

    /** @param owner who reads the files, when not this process's user (a program running as another account) */
    ConsumerFiles(Supplier<Secret> secret, Path dir, Optional<String> owner) {
        this.secret = secret;
        this.dir = dir;
        try {
            this.owner = owner.isEmpty() ? Optional.empty()
                    : Optional.of(dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner.get()));
            if (this.owner.isPresent()) {
                Files.setOwner(dir, this.owner.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        refresh();
    }

    /** Writes the keys whose value changed since the last look; true when any did. */
    synchronized boolean refresh() {
        Secret now = secret.get();
        boolean changed = false;
        for (String key : KEYS) {
            byte[] value = Base64.getDecoder().decode(now.getData().get(key));
            if (!Arrays.equals(value, written.get(key))) {
                write(key, value);
                written.put(key, value);
                changed = true;
            }
        }
        return changed;
    }

    Path path(String key) {
        return dir.resolve(key);
    }

    List<String> endpoints() {
        return List.of(new String(written.get("endpoints")).split(","));
    }

    Path dir() {
        return dir;
    }

    private void write(String key, byte[] value) {
        try {
            Path staged = dir.resolve("." + key + ".tmp");
            Files.write(staged, value);
            if (owner.isPresent()) {
                Files.setOwner(staged, owner.get());
            }
            Files.move(staged, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
