package dev.etcdvm.operator.reconciler.observe;

/**
 * Why a machine could not be used.
 *
 * @param reason a condition reason (CamelCase), e.g. HostKeyMismatch
 * @param message detail for the member's status message; never contains secrets
 */
public record HostFailure(String reason, String message) {
}
