package dev.etcdvm.operator.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What matters about an issued certificate when deciding whether to keep it.
 *
 * @param dnsNames and {@code ipAddresses}: its subject alternative names
 * @param extendedKeyUsages the extended key usage OIDs it carries
 */
public record CertificateFacts(String commonName, Set<String> dnsNames, Set<String> ipAddresses, Instant notAfter,
        boolean signedBy, Set<String> extendedKeyUsages) {

    /** It carries exactly the usages the purpose asks for (one issued before a purpose changed does not). */
    public boolean fits(CertificatePurpose purpose) {
        return extendedKeyUsages.equals(purpose.extendedKeyUsages());
    }

    /** @param caPem the CA it must chain to */
    public static CertificateFacts inspect(String certificatePem, String caPem) {
        X509Certificate cert = Pem.parseCertificate(certificatePem);
        X509Certificate ca = Pem.parseCertificate(caPem);
        boolean signed;
        try {
            cert.verify(ca.getPublicKey());
            signed = true;
        } catch (GeneralSecurityException e) {
            signed = false;
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        dns.add(String.valueOf(san.get(1)));
                    } else if (type == 7) {
                        ips.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new PkiException("unreadable subject alternative names", e);
        }
        List<String> usages;
        try {
            usages = cert.getExtendedKeyUsage() == null ? List.of() : cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new PkiException("unreadable extended key usage", e);
        }
        String cn = cert.getSubjectX500Principal().getName().replaceAll(".*CN=([^,]+).*", "$1");
        return new CertificateFacts(cn, Set.copyOf(dns), Set.copyOf(ips), cert.getNotAfter().toInstant(), signed,
                Set.copyOf(usages));
    }
}
