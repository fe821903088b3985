package dev.etcdvm.operator.provision;

/** The PEM material one member's machine holds. toString never shows keys. */
public record MemberTls(String caPem, String serverCertPem, String serverKeyPem, String peerCertPem, String peerKeyPem) {
    @Override
    public String toString() {
        return "MemberTls[...]";
    }
}
