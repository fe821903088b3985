package dev.etcdvm.operator.reconciler.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Sets conditions the way metav1.Condition intends: lastTransitionTime moves only when the status
 * flips, so a resync that changes nothing produces an identical status and no write.
 */
public final class Conditions {
    private Conditions() {
    }

    public static void set(List<Condition> conditions, ConditionType type, ConditionStatus status,
            String reason, String message, Long generation, Instant now) {
        Optional<Condition> existing = find(conditions, type);
        String transition = existing
                .filter(c -> status.name().equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        Condition next = new Condition(transition, message, generation, reason, status.name(), type.name());
        existing.ifPresentOrElse(c -> conditions.set(conditions.indexOf(c), next), () -> conditions.add(next));
    }

    public static Optional<Condition> find(List<Condition> conditions, ConditionType type) {
        return conditions.stream().filter(c -> type.name().equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, ConditionType type) {
        return find(conditions, type).map(c -> ConditionStatus.True.name().equals(c.getStatus())).orElse(false);
    }
}
