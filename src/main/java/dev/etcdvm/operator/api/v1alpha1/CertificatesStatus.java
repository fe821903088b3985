package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** The cluster's CA and certificates over time. */
@Data
public class CertificatesStatus {
    @JsonPropertyDescription("When the CA certificates are issued from expires (RFC 3339).")
    private String caNotAfter;
    @JsonPropertyDescription("During a CA rotation: when the CA being replaced expires (RFC 3339).")
    private String previousCaNotAfter;
    @JsonPropertyDescription("When the first member or client certificate expires (RFC 3339); each is renewed"
            + " spec.tls.renewBeforeDays earlier, in place, without restarting etcd.")
    private String leafNotAfter;
    @JsonPropertyDescription("CA rotation phase: None, Pending, TrustBoth (1/3: old and new CA trusted),"
            + " NewCertificates (2/3: certificates issued from the new CA) or DropOld (3/3: old CA dropped).")
    private String rotation;
}
