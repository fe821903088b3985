package dev.etcdvm.operator.ssh;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * AcceptNew policy: known_hosts entries (if any) still win; otherwise the first key a host presents
 * is pinned and every later key must equal it.
 */
public final class TrustOnFirstUse implements HostKeyTrust {
    private final KnownHostsTrust knownHosts;
    private final HostKeyPins pins;

    public TrustOnFirstUse(KnownHostsTrust knownHosts, HostKeyPins pins) {
        this.knownHosts = knownHosts;
        this.pins = pins;
    }

    @Override
    public HostKeyVerdict verify(String host, int port, PublicKey presented) {
        String fingerprint = KeyUtils.getFingerPrint(presented);
        if (knownHosts.isRevoked(host, port, presented)) {
            return knownHosts.verify(host, port, presented);
        }
        Optional<List<PublicKey>> listed = knownHosts.keysFor(host, port);
        if (listed.isPresent()) {
            return KnownHostsTrust.compare(listed.get(), presented, fingerprint, "known_hosts");
        }
        String hostAndPort = host + ":" + port;
        Optional<String> pinned = pins.pinned(hostAndPort);
        if (pinned.isEmpty()) {
            pins.pin(hostAndPort, PublicKeyEntry.toString(presented));
            return new HostKeyVerdict(true, fingerprint, "first use: pinned " + fingerprint);
        }
        try {
            PublicKey expected = PublicKeyEntry.parsePublicKeyEntry(pinned.get())
                    .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
            return KnownHostsTrust.compare(List.of(expected), presented, fingerprint, "pinned on first use");
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return new HostKeyVerdict(false, fingerprint, "the pinned key for " + hostAndPort + " is unreadable");
        }
    }

    @Override
    public String version() {
        return "tofu+" + knownHosts.version();
    }
}
