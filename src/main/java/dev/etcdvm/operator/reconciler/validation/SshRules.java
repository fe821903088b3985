package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.HostKeyPolicy;
import dev.etcdvm.operator.api.v1alpha1.Patterns;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.api.v1alpha1.SshSpec;

/** Login user, port, timeouts and the references to key Secrets. */
final class SshRules implements SpecRule {
    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        SshSpec ssh = cluster.getSpec().getSsh();
        if (ssh == null) {
            out.add("spec.ssh", "is required");
            return;
        }
        out.requireMatch("spec.ssh.user", ssh.getUser(), Patterns.UNIX_USER, "a valid login name");
        out.requireRange("spec.ssh.port", ssh.getPort(), 1, 65535);
        out.requireRange("spec.ssh.connectTimeoutSeconds", ssh.getConnectTimeoutSeconds(), 1, 300);
        if (ssh.getHostKeyPolicy() == null) {
            out.add("spec.ssh.hostKeyPolicy", "must be Strict or AcceptNew");
        }
        if (ssh.getPrivateKeySecretRef() == null) {
            out.add("spec.ssh.privateKeySecretRef", "is required");
        } else {
            checkRef("spec.ssh.privateKeySecretRef", ssh.getPrivateKeySecretRef(), out);
        }
        if (ssh.getKnownHostsSecretRef() != null) {
            checkRef("spec.ssh.knownHostsSecretRef", ssh.getKnownHostsSecretRef(), out);
        } else if (ssh.getHostKeyPolicy() == HostKeyPolicy.Strict) {
            out.add("spec.ssh.knownHostsSecretRef", "is required when hostKeyPolicy is Strict");
        }
    }

    static void checkRef(String field, SecretKeyRef ref, Violations out) {
        out.requireMatch(field + ".name", ref.getName(), Patterns.DNS1123_SUBDOMAIN, "a valid Secret name");
        out.requireMatch(field + ".key", ref.getKey(), Patterns.SECRET_KEY, "a valid Secret key");
    }
}
