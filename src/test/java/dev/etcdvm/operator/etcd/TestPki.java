package dev.etcdvm.operator.etcd;

import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.pki.CertificatePurpose;
import dev.etcdvm.operator.pki.CertificateRequest;
import dev.etcdvm.operator.pki.IssuedCertificate;
import dev.etcdvm.operator.pki.LegacyCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A CA with loopback server/peer certificates for local etcd processes and client material for the operator. */
final class TestPki {
    private static final Duration VALIDITY = Duration.ofDays(1);

    private final CertificateAuthority ca;
    private final Path caFile;
    private final Path dir;

    TestPki(Path dir) {
        this.dir = dir;
        this.ca = CertificateAuthority.generate("etcd-test-ca", VALIDITY, Clock.systemUTC());
        this.caFile = write("ca.crt", ca.certificatePem());
    }

    Path caFile() {
        return caFile;
    }

    /** What the operator would hold: this CA and a client certificate it signed. */
    EtcdTls client() {
        IssuedCertificate c = issue("etcd-vm-operator", CertificatePurpose.CLIENT);
        return new EtcdTls(ca.certificatePem(), c.certificatePem(), c.privateKeyPem());
    }

    /** A certificate signed by this CA, but for the wrong purpose (server auth only): etcd must refuse it as a client. */
    EtcdTls serverAuthOnlyAsClient() {
        IssuedCertificate c = LegacyCertificates.serverAuthOnly(ca, "not-a-client", Duration.ofDays(1));
        return new EtcdTls(ca.certificatePem(), c.certificatePem(), c.privateKeyPem());
    }

    /** A member's server certificate presented as a client one, as etcd's own JSON gateway does. */
    EtcdTls serverCertificateAsClient() {
        IssuedCertificate c = issue("etcd-gateway", CertificatePurpose.SERVER);
        return new EtcdTls(ca.certificatePem(), c.certificatePem(), c.privateKeyPem());
    }

    /** Files [cert, key] for a member's listener of this purpose. */
    Path[] memberFiles(String member, CertificatePurpose purpose) {
        IssuedCertificate c = issue(member, purpose);
        String base = member + "-" + purpose.name().toLowerCase();
        return new Path[] {write(base + ".crt", c.certificatePem()), write(base + ".key", c.privateKeyPem())};
    }

    /** Files [cert, key] of a client certificate, for etcdctl. */
    Path[] clientFiles() {
        return memberFiles("etcdctl", CertificatePurpose.CLIENT);
    }

    private IssuedCertificate issue(String cn, CertificatePurpose purpose) {
        return ca.issue(new CertificateRequest(cn, List.of("localhost"), List.of("127.0.0.1"), purpose, VALIDITY));
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
