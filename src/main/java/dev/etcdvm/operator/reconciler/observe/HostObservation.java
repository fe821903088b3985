package dev.etcdvm.operator.reconciler.observe;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.failure.Failure;
import java.util.Optional;

/**
 * What an SSH login and the probe showed of one member's machine.
 *
 * @param hostKeyFingerprint SHA256 fingerprint of the verified host key, when the login got that far
 * @param facts the probe's findings; empty when the machine could not be probed
 * @param failure why the machine could not be used; empty when it could
 */
public record HostObservation(String member, String address, String hostKeyFingerprint, Optional<HostFacts> facts,
        Optional<Failure> failure) {
    public static HostObservation reachable(String member, String address, String fingerprint, HostFacts facts) {
        return new HostObservation(member, address, fingerprint, Optional.ofNullable(facts), Optional.empty());
    }

    public static HostObservation unreachable(String member, String address, String fingerprint, Failure failure) {
        return new HostObservation(member, address, fingerprint, Optional.empty(), Optional.of(failure));
    }

    public boolean isReachable() {
        return failure.isEmpty();
    }
}
