package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.api.v1alpha1.BinaryDelivery;
import dev.etcdvm.operator.api.v1alpha1.BinarySpec;
import java.util.Map;
import java.util.Optional;

/**
 * Where the release tarball of one version and architecture comes from, in the upstream layout:
 * {@code <baseURL>/v<version>/etcd-v<version>-linux-<arch>.tar.gz} and {@code .../SHA256SUMS}.
 */
public record ReleaseSource(String version, String baseUrl, Optional<String> sha256, BinaryDelivery delivery) {
    /** uname -m to the architecture names of etcd's release assets. */
    private static final Map<String, String> ASSET_ARCH = Map.of(
            "x86_64", "amd64", "aarch64", "arm64", "arm64", "arm64", "ppc64le", "ppc64le", "s390x", "s390x");

    public static ReleaseSource of(String version, BinarySpec binary) {
        String base = binary.getBaseURL().endsWith("/")
                ? binary.getBaseURL().substring(0, binary.getBaseURL().length() - 1) : binary.getBaseURL();
        return new ReleaseSource(version, base, Optional.ofNullable(binary.getSha256()), binary.getDelivery());
    }

    public static Optional<String> assetArch(String unameMachine) {
        return Optional.ofNullable(ASSET_ARCH.get(unameMachine));
    }

    public String asset(String arch) {
        return "etcd-v" + version + "-linux-" + arch + ".tar.gz";
    }

    public String url(String arch) {
        return baseUrl + "/v" + version + "/" + asset(arch);
    }

    public String sumsUrl() {
        return baseUrl + "/v" + version + "/SHA256SUMS";
    }
}
