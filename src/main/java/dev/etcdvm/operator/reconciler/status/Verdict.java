package dev.etcdvm.operator.reconciler.status;


/** One condition's status, reason and message, as a checker found it. */
public record Verdict(ConditionStatus status, String reason, String message) {
    static Verdict isTrue(String reason, String message) {
        return new Verdict(ConditionStatus.True, reason, message);
    }

    static Verdict isFalse(String reason, String message) {
        return new Verdict(ConditionStatus.False, reason, message);
    }
}
