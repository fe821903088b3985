package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A key of a Secret in the resource's own namespace. */
@Data
@NoArgsConstructor
@AllArgsConstructor
public class SecretKeyRef {
    @Required
    @Pattern(Patterns.DNS1123_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Secret, in the EtcdVmCluster's namespace.")
    private String name;

    @Required
    @Pattern(Patterns.SECRET_KEY)
    @JsonPropertyDescription("Key inside the Secret's data.")
    private String key;
}
