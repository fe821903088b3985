package dev.etcdvm.operator.reconciler.validation;

/**
 * One reason a spec cannot be acted on.
 *
 * @param field JSON path of the offending field, e.g. {@code spec.members[1].address}
 * @param message what is wrong, in words a user can act on
 * @param external true when the cause lives outside the resource (a missing Secret), so fixing it
 *     does not bump the resource's generation and the operator must look again by itself
 */
public record SpecViolation(String field, String message, boolean external) {
    public static SpecViolation of(String field, String message) {
        return new SpecViolation(field, message, false);
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
