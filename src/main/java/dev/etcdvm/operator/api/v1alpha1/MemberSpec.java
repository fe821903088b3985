package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One machine of the cluster and the etcd member it runs. */
@Data
@NoArgsConstructor
@AllArgsConstructor
public class MemberSpec {
    @Required
    @Size(max = 63)
    @Pattern(Patterns.DNS1123_LABEL)
    @JsonPropertyDescription("Member name (DNS-1123 label, unique in the cluster); becomes the etcd member name.")
    private String name;

    @Required
    @Size(max = 253)
    @Pattern(Patterns.HOST_ADDRESS)
    @JsonPropertyDescription("IP address or DNS name of the machine, unique in the cluster; etcd peers and clients use it.")
    private String address;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("SSH port of this machine; defaults to spec.ssh.port.")
    private Integer sshPort;

    public MemberSpec(String name, String address) {
        this(name, address, null);
    }
}
