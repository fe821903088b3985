package dev.etcdvm.operator.ssh;

/**
 * The outcome of checking a presented host key.
 *
 * @param trusted whether the login may proceed
 * @param presentedFingerprint SHA256 fingerprint of the key the server presented
 * @param detail why it was refused (names expected and presented fingerprints), or how it was trusted
 */
public record HostKeyVerdict(boolean trusted, String presentedFingerprint, String detail) {
}
