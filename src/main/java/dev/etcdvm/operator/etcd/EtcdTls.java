package dev.etcdvm.operator.etcd;

import java.util.Objects;

/**
 * Client TLS material for talking to etcd, all PEM: the CA that signed the members' server
 * certificates, the operator's client certificate, and its PKCS#8 private key ("BEGIN PRIVATE KEY").
 * Held in memory only; toString never shows the key.
 */
public record EtcdTls(String caPem, String certPem, String keyPem) {
    public EtcdTls {
        Objects.requireNonNull(caPem, "caPem");
        Objects.requireNonNull(certPem, "certPem");
        Objects.requireNonNull(keyPem, "keyPem");
    }

    @Override
    public String toString() {
        return "EtcdTls[ca=" + caPem.length() + " chars, cert=" + certPem.length() + " chars, key=<hidden>]";
    }
}
