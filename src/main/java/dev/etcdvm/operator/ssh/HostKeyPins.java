package dev.etcdvm.operator.ssh;

import java.util.Optional;

/** Durable storage of first-seen host keys (one OpenSSH public key line per host:port). */
public interface HostKeyPins {
    Optional<String> pinned(String hostAndPort);

    void pin(String hostAndPort, String publicKeyLine);
}
