package dev.etcdvm.operator.reconciler.failure;

import dev.etcdvm.operator.reconciler.reason.FailureReason;
import java.util.Optional;

/**
 * Why something in a pass did not happen: what was attempted, a reason from the fixed set, whether
 * trying again later may help, and the member it concerns.
 *
 * @param message detail for status and Events; never holds secrets
 */
public record Failure(Operation operation, FailureReason reason, boolean transientFault, Optional<String> member,
        String message) {

    public static Failure of(Operation operation, FailureReason reason, String member, String message) {
        return new Failure(operation, reason, reason.transientByDefault(), Optional.ofNullable(member), message);
    }

    public Failure forMember(String name) {
        return new Failure(operation, reason, transientFault, Optional.of(name), message);
    }

    /** The reason as a condition reason. */
    public String conditionReason() {
        return reason.name();
    }
}
