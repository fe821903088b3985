package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.List;
import java.util.Optional;

/**
 * A planned rolling restart as a pass sees it: members restart one at a time for a new binary,
 * configuration or trusted CA. While each comes back on schedule a quorum serves and nothing is wrong.
 *
 * @param phase "Upgrading" (members run another version than the spec's), "RotatingCertificates" (a CA
 *     rotation is under way) or "Updating"; empty when
 *     nothing is being rolled out
 * @param restarting members coming back from their planned restart, within the rollout deadline
 * @param stalled members not back by the deadline, each as "name (message)": the rollout halts
 */
public record Rollout(Optional<String> phase, List<String> restarting, List<String> stalled) {
    public static final String ROTATING = ConditionReason.RotatingCertificates.name();
    public static final Rollout NONE = new Rollout(Optional.empty(), List.of(), List.of());

    public boolean underWay() {
        return phase.isPresent();
    }

    public boolean halted() {
        return !stalled.isEmpty();
    }

    String describe() {
        String what = phase.map(p -> p.equals(ROTATING) ? "rotating the CA (status.certificates.rotation tells the"
                + " phase)" : p.toLowerCase(java.util.Locale.ROOT)).orElse("rolling out");
        return what + ": members restart one at a time, the"
                + " leader last" + (restarting.isEmpty() ? "" : "; coming back: " + String.join(", ", restarting));
    }
}
