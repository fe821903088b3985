package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** Certificates for client and peer traffic; TLS is always on. */
@Data
@ValidationRule(value = "!has(self.renewBeforeDays) || !has(self.certificateValidityDays)"
        + " || self.renewBeforeDays < self.certificateValidityDays",
        message = "renewBeforeDays must be less than certificateValidityDays")
public class TlsSpec {
    @JsonPropertyDescription("Bring your own CA: a Secret with ca.crt and ca.key. When unset the operator creates a CA per cluster.")
    private SecretRef caSecretRef;

    @Default("365")
    @Min(1)
    @Max(3650)
    @JsonPropertyDescription("Validity of issued member and client certificates, in days.")
    private int certificateValidityDays = 365;

    @Default("30")
    @Min(1)
    @Max(3649)
    @JsonPropertyDescription("Renew a certificate this many days before it expires.")
    private int renewBeforeDays = 30;
}
