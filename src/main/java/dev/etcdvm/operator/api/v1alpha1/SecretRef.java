package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A whole Secret in the resource's own namespace. */
@Data
@NoArgsConstructor
@AllArgsConstructor
public class SecretRef {
    @Required
    @Pattern(Patterns.DNS1123_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Secret, in the EtcdVmCluster's namespace.")
    private String name;
}
