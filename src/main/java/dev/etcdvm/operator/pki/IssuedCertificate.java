package dev.etcdvm.operator.pki;

import java.time.Instant;

/**
 * A certificate and its private key, both PEM. toString never shows the key.
 *
 * @param certificatePem the leaf certificate
 * @param privateKeyPem PKCS#8 private key
 */
public record IssuedCertificate(String certificatePem, String privateKeyPem, Instant notAfter) {
    @Override
    public String toString() {
        return "IssuedCertificate[notAfter=" + notAfter + "]";
    }
}
