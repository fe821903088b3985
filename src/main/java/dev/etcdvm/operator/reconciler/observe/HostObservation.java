package dev.etcdvm.operator.reconciler.observe;

import java.util.Optional;

/**
 * What an SSH login to one member's machine showed.
 *
 * @param member member name from the spec
 * @param address machine address from the spec
 * @param hostKeyFingerprint SHA256 fingerprint of the host key presented, when the handshake got that far
 * @param failure why the login failed; empty when it succeeded
 */
public record HostObservation(String member, String address, String hostKeyFingerprint, Optional<HostFailure> failure) {
    public static HostObservation reachable(String member, String address, String fingerprint) {
        return new HostObservation(member, address, fingerprint, Optional.empty());
    }

    public static HostObservation unreachable(String member, String address, String fingerprint, HostFailure failure) {
        return new HostObservation(member, address, fingerprint, Optional.of(failure));
    }

    public boolean isReachable() {
        return failure.isEmpty();
    }
}
