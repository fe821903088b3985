package dev.etcdvm.operator.pki;

import java.time.Duration;
import java.util.List;

/**
 * What to put in a certificate.
 *
 * @param commonName subject CN (the member name, or the client's name)
 * @param dnsNames DNS subject alternative names
 * @param ipAddresses IP subject alternative names (textual IPv4 or IPv6)
 */
public record CertificateRequest(String commonName, List<String> dnsNames, List<String> ipAddresses,
        CertificatePurpose purpose, Duration validity) {
    public CertificateRequest {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }
}
