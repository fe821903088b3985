package dev.etcdvm.operator.reconciler.tls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a cluster stands in moving from one CA to another. A rotation is three rolling phases, each begun
 * only once every member's machine holds, and its etcd has loaded, what the phase before asked for, so
 * members always trust each other and the operator always holds a client certificate they trust.
 *
 * @param phase the current phase
 * @param caNotAfter expiry of the CA certificates are issued from (the new one, during a rotation)
 * @param previousCaNotAfter expiry of the CA being replaced, while members may still trust it
 * @param leafNotAfter expiry of the first member or client certificate to expire
 * @param knownTrust the trusted-CA files a member may hold now: this pass's and, during a rotation, the one
 *     before it; a member holding anything else trusts a CA the operator no longer knows
 * @param renewalProblem why a certificate inside its renewal window cannot be renewed, if one cannot
 */
public record CaRotation(Phase phase, Instant caNotAfter, Optional<Instant> previousCaNotAfter, Instant leafNotAfter,
        List<String> knownTrust, Optional<String> renewalProblem) {

    public enum Phase {
        /** One CA, trusted and issuing. */
        None(""),
        /** A new CA appeared; it is trusted once every member has settled on what it holds now. */
        Pending("a new CA waits for every member to settle before it is trusted"),
        /** Phase 1: members and clients trust the old and the new CA; certificates are still the old CA's. */
        TrustBoth("phase 1 of 3: members trust the old and the new CA, restarted one at a time"),
        /** Phase 2: certificates are the new CA's; etcd reads them on its next handshakes, no restart. */
        NewCertificates("phase 2 of 3: certificates issued from the new CA, picked up without restarts"),
        /** Phase 3: the old CA is dropped from every member's trust, restarted one at a time. */
        DropOld("phase 3 of 3: the old CA is dropped, members restarted one at a time");

        private final String description;

        Phase(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public static CaRotation settled(Instant caNotAfter, Instant leafNotAfter, List<String> knownTrust) {
        return new CaRotation(Phase.None, caNotAfter, Optional.empty(), leafNotAfter, knownTrust, Optional.empty());
    }

    public boolean underWay() {
        return phase != Phase.None;
    }
}
