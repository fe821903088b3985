package dev.etcdvm.operator.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Server certificates as the operator issued them before they carried clientAuth (serverAuth only), to show what
 * clusters formed then get and how they are brought forward.
 */
public final class LegacyCertificates {
    private LegacyCertificates() {
    }

    /** A serverAuth-only member certificate for a new key, names as the operator gives them. */
    public static IssuedCertificate serverAuthOnly(CertificateAuthority ca, String member, Duration validity,
            String... ipAddresses) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            var caCert = Pem.parseCertificate(ca.certificatePem());
            PrivateKey caKey = Pem.parsePrivateKey(ca.privateKeyPem());
            Instant now = Instant.now();
            GeneralName[] names = new GeneralName[2 + ipAddresses.length + 1];
            names[0] = new GeneralName(GeneralName.dNSName, member);
            names[1] = new GeneralName(GeneralName.dNSName, "localhost");
            names[2] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
            for (int i = 0; i < ipAddresses.length; i++) {
                names[3 + i] = new GeneralName(GeneralName.iPAddress, ipAddresses[i]);
            }
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(validity)), new X500Name("O=etcd-vm-operator,CN=" + member), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            var leaf = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
            return new IssuedCertificate(Pem.certificate(leaf), Pem.privateKey(keys.getPrivate()),
                    leaf.getNotAfter().toInstant());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
