package dev.etcdvm.operator.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * CA certificates trusted together, kept as one PEM file (etcd's trusted-CA file and a client's
 * {@code ca.crt} both take several). During a CA rotation it holds the old and the new CA; otherwise one.
 * Each certificate is kept in one normal PEM spelling, so equal bundles are equal strings.
 */
public record TrustBundle(List<String> certificates) {
    public TrustBundle {
        if (certificates.isEmpty()) {
            throw new PkiException("a trust bundle needs at least one CA certificate");
        }
        certificates = List.copyOf(certificates);
    }

    public static TrustBundle of(String caPem) {
        return parse(caPem);
    }

    /** Every certificate in the PEM text, in order, without duplicates. */
    public static TrustBundle parse(String pem) {
        List<String> found = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object next = parser.readObject(); next != null; next = parser.readObject()) {
                if (!(next instanceof X509CertificateHolder holder)) {
                    throw new PkiException("a trust bundle holds certificates only");
                }
                String normal = Pem.certificate(new JcaX509CertificateConverter().getCertificate(holder));
                if (!found.contains(normal)) {
                    found.add(normal);
                }
            }
        } catch (IOException | CertificateException e) {
            throw new PkiException("malformed PEM trust bundle", e);
        }
        return new TrustBundle(found);
    }

    public String pem() {
        return String.join("", certificates);
    }

    public boolean contains(String caPem) {
        return certificates.contains(normal(caPem));
    }

    /** True when this bundle trusts exactly that CA. */
    public boolean only(String caPem) {
        return certificates.size() == 1 && contains(caPem);
    }

    public TrustBundle plus(String caPem) {
        List<String> next = new ArrayList<>(certificates);
        if (!contains(caPem)) {
            next.add(normal(caPem));
        }
        return new TrustBundle(next);
    }

    /** The certificates other than that CA. */
    public List<String> others(String caPem) {
        String normal = normal(caPem);
        return certificates.stream().filter(c -> !c.equals(normal)).toList();
    }

    /** The CA of this bundle that signed the certificate, if any. */
    public Optional<String> signerOf(String certificatePem) {
        X509Certificate cert = Pem.parseCertificate(certificatePem);
        return certificates.stream().filter(ca -> {
            try {
                cert.verify(Pem.parseCertificate(ca).getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                return false;
            }
        }).findFirst();
    }

    public static Instant notAfter(String certificatePem) {
        return Pem.parseCertificate(certificatePem).getNotAfter().toInstant();
    }

    private static String normal(String caPem) {
        return Pem.certificate(Pem.parseCertificate(caPem));
    }

    @Override
    public String toString() {
        return "TrustBundle[" + certificates.size() + " CAs]";
    }
}
