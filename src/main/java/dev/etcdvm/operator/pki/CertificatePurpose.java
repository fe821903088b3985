package dev.etcdvm.operator.pki;

import java.util.Set;

/** What a certificate is used for; decides its extended key usages. */
public enum CertificatePurpose {
    /**
     * etcd's client-facing listener. It carries clientAuth too: etcd's own gRPC gateway (the v3 JSON API) dials
     * its member presenting this certificate as its client certificate, and a member with client certificate
     * auth on refuses one without clientAuth. Chosen over a separate {@code --client-cert-file} certificate
     * because one certificate serves every etcd version the operator runs (3.4 has no such flag), as kubeadm's
     * etcd server certificates do.
     */
    SERVER(true, true),
    /** etcd peer traffic: each side is server and client of the other. */
    PEER(true, true),
    /** A client of the cluster: the operator itself, or a consumer such as kube-apiserver. */
    CLIENT(false, true);

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final Set<String> extendedKeyUsages;

    CertificatePurpose(boolean serverAuth, boolean clientAuth) {
        this.extendedKeyUsages = serverAuth && clientAuth ? Set.of(SERVER_AUTH, CLIENT_AUTH)
                : serverAuth ? Set.of(SERVER_AUTH) : Set.of(CLIENT_AUTH);
    }

    /** The extended key usage OIDs a certificate for this purpose carries, exactly. */
    Set<String> extendedKeyUsages() {
        return extendedKeyUsages;
    }
}
