package dev.etcdvm.operator.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA that signs member and client certificates. Keys are ECDSA P-256. */
public final class CertificateAuthority {
    /** Issued certificates start a little in the past, so a machine whose clock lags still accepts them. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
    }

    public static CertificateAuthority generate(String commonName, Duration validity, Clock clock) {
        KeyPair keys = newKeyPair();
        X500Name subject = name(commonName);
        Instant now = Instant.now(clock);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate(), clock);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot create CA", e);
        }
    }

    /** Loads a user's CA ({@code tls.caSecretRef}); the key must belong to the certificate. */
    public static CertificateAuthority fromPem(String certificatePem, String privateKeyPem, Clock clock) {
        X509Certificate certificate = Pem.parseCertificate(certificatePem);
        PrivateKey key = Pem.parsePrivateKey(privateKeyPem);
        if (certificate.getBasicConstraints() < 0) {
            throw new PkiException("ca.crt is not a CA certificate (basicConstraints CA:FALSE)");
        }
        if (!KeyMatch.matches(certificate.getPublicKey(), key)) {
            throw new PkiException("ca.key does not belong to ca.crt");
        }
        return new CertificateAuthority(certificate, key, clock);
    }

    public IssuedCertificate issue(CertificateRequest request) {
        KeyPair keys = newKeyPair();
        return issue(request, keys.getPublic(), Pem.privateKey(keys.getPrivate()));
    }

    /**
     * A new certificate for the key of a previous one: names, purpose, issuer and expiry as requested, the key
     * kept. Swapping such a certificate on a machine is one file's atomic rename, so no TLS handshake can ever
     * pair the new certificate with the old key (etcd reads both files on every handshake). A previous key that
     * does not belong to its certificate is not kept: a fresh one is made.
     */
    public IssuedCertificate renew(CertificateRequest request, String previousCertificatePem, String previousKeyPem) {
        try {
            X509Certificate old = Pem.parseCertificate(previousCertificatePem);
            PrivateKey key = Pem.parsePrivateKey(previousKeyPem);
            if (KeyMatch.matches(old.getPublicKey(), key)) {
                return issue(request, old.getPublicKey(), previousKeyPem);
            }
        } catch (PkiException unreadable) {
            // a fresh key below
        }
        return issue(request);
    }

    private IssuedCertificate issue(CertificateRequest request, PublicKey publicKey, String privateKeyPem) {
        Instant now = Instant.now(clock);
        Instant notAfter = now.plus(request.validity());
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant(); // a leaf cannot outlive its CA
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), name(request.commonName()), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, usages(request.purpose()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            GeneralNames sans = subjectAltNames(request);
            if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            X509Certificate leaf = sign(builder, privateKey);
            return new IssuedCertificate(Pem.certificate(leaf), privateKeyPem, leaf.getNotAfter().toInstant());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot issue certificate for " + request.commonName(), e);
        }
    }

    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    public String privateKeyPem() {
        return Pem.privateKey(privateKey);
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    private static ExtendedKeyUsage usages(CertificatePurpose purpose) {
        return new ExtendedKeyUsage(purpose.extendedKeyUsages().stream().sorted()
                .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid))).toArray(KeyPurposeId[]::new));
    }


    private static GeneralNames subjectAltNames(CertificateRequest request) {
        List<GeneralName> names = new ArrayList<>();
        request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        for (String ip : request.ipAddresses()) {
            names.add(new GeneralName(GeneralName.iPAddress, ipLiteral(ip)));
        }
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** Only literals are accepted: resolving a name here would be a DNS lookup and a security hole. */
    private static String ipLiteral(String ip) {
        if (!ip.matches("[0-9.]+|[0-9a-fA-F:.]+")) {
            throw new PkiException("not an IP literal: " + ip);
        }
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new PkiException("not an IP literal: " + ip, e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "etcd-vm-operator")
                .addRDN(BCStyle.CN, commonName).build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("no EC P-256 support in this JVM", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** Proves a private key belongs to a public key by signing and verifying a challenge. */
    static final class KeyMatch {
        private KeyMatch() {
        }

        static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
            try {
                String algorithm = privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
                byte[] challenge = new byte[32];
                RANDOM.nextBytes(challenge);
                java.security.Signature signer = java.security.Signature.getInstance(algorithm);
                signer.initSign(privateKey);
                signer.update(challenge);
                byte[] signature = signer.sign();
                java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
                verifier.initVerify(publicKey);
                verifier.update(challenge);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }
}
