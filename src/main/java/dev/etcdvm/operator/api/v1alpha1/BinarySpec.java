package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** Where the etcd release comes from and where it is installed. */
@Data
public class BinarySpec {
    public static final String UPSTREAM_RELEASES = "https://github.com/etcd-io/etcd/releases/download";

    @JsonProperty("baseURL")
    @Default(UPSTREAM_RELEASES)
    @Pattern(Patterns.HTTP_URL)
    @JsonPropertyDescription("Release download base: <baseURL>/v<version>/etcd-v<version>-linux-<arch>.tar.gz and SHA256SUMS."
            + " Point it at a mirror for air-gapped sites.")
    private String baseURL = UPSTREAM_RELEASES;

    @Pattern(Patterns.SHA256_HEX)
    @JsonPropertyDescription("Expected SHA-256 of the release tarball; when unset the release's SHA256SUMS file is used.")
    private String sha256;

    @Default("HostDownload")
    @JsonPropertyDescription("HostDownload: each machine fetches the release. OperatorPush: the operator streams it over SFTP.")
    private BinaryDelivery delivery = BinaryDelivery.HostDownload;

    @ValidationRule(value = "self == oldSelf", message = "installDir cannot be changed: running members depend on it (see the README's transition table)")
    @Default("/usr/local/bin")
    @Pattern(Patterns.ABSOLUTE_PATH)
    @JsonPropertyDescription("Directory on the machines where etcd, etcdctl and etcdutl are installed.")
    private String installDir = "/usr/local/bin";
}
