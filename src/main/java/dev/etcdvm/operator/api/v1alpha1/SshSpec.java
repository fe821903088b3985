package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** How the operator logs in to the machines. */
@Data
@ValidationRule(value = "has(self.hostKeyPolicy) && self.hostKeyPolicy == 'AcceptNew' || has(self.knownHostsSecretRef)",
        message = "knownHostsSecretRef is required when hostKeyPolicy is Strict")
public class SshSpec {
    @Default("root")
    @Pattern(Patterns.UNIX_USER)
    @JsonPropertyDescription("Login user: root, or a user allowed to run every command through `sudo -n`.")
    private String user = "root";

    @Default("22")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("SSH port used for members that do not set their own sshPort.")
    private int port = 22;

    @Required
    @JsonPropertyDescription("Secret key holding the SSH private key (OpenSSH or PEM; ed25519, ecdsa or rsa).")
    private SecretKeyRef privateKeySecretRef;

    @JsonPropertyDescription("Secret key holding known_hosts lines for the machines; required with hostKeyPolicy Strict.")
    private SecretKeyRef knownHostsSecretRef;

    @Default("Strict")
    @JsonPropertyDescription("Strict: host keys must match known_hosts. AcceptNew: trust a first key, pin it, refuse changes.")
    private HostKeyPolicy hostKeyPolicy = HostKeyPolicy.Strict;

    @Default("10")
    @Min(1)
    @Max(300)
    @JsonPropertyDescription("Seconds to wait for a TCP connection and the SSH handshake.")
    private int connectTimeoutSeconds = 10;
}
