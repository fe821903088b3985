package dev.etcdvm.operator.ssh;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** Strict policy: the presented key must be listed for the host in known_hosts (OpenSSH format). */
public final class KnownHostsTrust implements HostKeyTrust {
    private final List<KnownHostEntry> entries;
    private final String version;

    private KnownHostsTrust(List<KnownHostEntry> entries, String version) {
        this.entries = entries;
        this.version = version;
    }

    /**
     * Parses line by line and skips what is not an entry without saying what it was: the text comes from a
     * Secret, and a misnamed key could make it a private key (MINA's own reader logs invalid lines verbatim).
     */
    public static KnownHostsTrust parse(String knownHosts) {
        List<KnownHostEntry> parsed = new ArrayList<>();
        for (String line : knownHosts.split("\\R")) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            try {
                Optional.ofNullable(KnownHostEntry.parseKnownHostEntry(entry)).ifPresent(parsed::add);
            } catch (RuntimeException e) {
                // Not an entry; it vouches for nothing, and its content is not repeated anywhere.
            }
        }
        return new KnownHostsTrust(List.copyOf(parsed), "known_hosts:" + Integer.toHexString(knownHosts.hashCode()));
    }

    /** The keys known_hosts lists for this host, or empty when it lists none (or only revoked ones). */
    Optional<List<PublicKey>> keysFor(String host, int port) {
        List<PublicKey> keys = new ArrayList<>();
        for (KnownHostEntry entry : entries) {
            if (entry.getMarker() == null && entry.isHostMatch(host, port)) {
                try {
                    keys.add(entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
                } catch (IOException | GeneralSecurityException e) {
                    // An unparsable line cannot vouch for anything; other lines may still match.
                }
            }
        }
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
    }

    boolean isRevoked(String host, int port, PublicKey presented) {
        return entries.stream().filter(e -> "revoked".equals(e.getMarker()) && e.isHostMatch(host, port))
                .anyMatch(e -> {
                    try {
                        return KeyUtils.compareKeys(presented,
                                e.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
                    } catch (IOException | GeneralSecurityException ex) {
                        return false;
                    }
                });
    }

    @Override
    public HostKeyVerdict verify(String host, int port, PublicKey presented) {
        String fingerprint = KeyUtils.getFingerPrint(presented);
        if (isRevoked(host, port, presented)) {
            return new HostKeyVerdict(false, fingerprint, "host key " + fingerprint + " is marked @revoked in known_hosts");
        }
        return keysFor(host, port)
                .map(keys -> compare(keys, presented, fingerprint, "known_hosts"))
                .orElseGet(() -> new HostKeyVerdict(false, fingerprint,
                        "known_hosts has no entry for " + host + "; presented " + fingerprint));
    }

    static HostKeyVerdict compare(List<PublicKey> expected, PublicKey presented, String fingerprint, String source) {
        if (expected.stream().anyMatch(k -> KeyUtils.compareKeys(k, presented))) {
            return new HostKeyVerdict(true, fingerprint, "matches " + source);
        }
        String wanted = expected.stream().map(KeyUtils::getFingerPrint).reduce((a, b) -> a + " or " + b).orElse("?");
        return new HostKeyVerdict(false, fingerprint,
                "host key mismatch: expected " + wanted + " (" + source + "), presented " + fingerprint);
    }

    @Override
    public String version() {
        return version;
    }
}
