package dev.etcdvm.operator.pki;

/** What a certificate is used for; decides its extended key usages. */
public enum CertificatePurpose {
    /** etcd's client-facing listener. */
    SERVER(true, false),
    /** etcd peer traffic: each side is server and client of the other. */
    PEER(true, true),
    /** A client of the cluster: the operator itself, or a consumer such as kube-apiserver. */
    CLIENT(false, true);

    private final boolean serverAuth;
    private final boolean clientAuth;

    CertificatePurpose(boolean serverAuth, boolean clientAuth) {
        this.serverAuth = serverAuth;
        this.clientAuth = clientAuth;
    }

    boolean serverAuth() {
        return serverAuth;
    }

    boolean clientAuth() {
        return clientAuth;
    }
}
