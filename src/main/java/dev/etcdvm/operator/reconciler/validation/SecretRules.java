package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.api.v1alpha1.SshSpec;
import dev.etcdvm.operator.api.v1alpha1.TlsSpec;
import dev.etcdvm.operator.reconciler.kube.SecretReader;
import java.util.Optional;
import java.util.Set;

/** Referenced Secrets must exist and hold the named keys; their values are never read here. */
final class SecretRules {
    void check(EtcdVmCluster cluster, SecretReader secrets, Violations out) {
        String namespace = cluster.getMetadata().getNamespace();
        SshSpec ssh = cluster.getSpec().getSsh();
        if (ssh != null) {
            requireKey(secrets, "spec.ssh.privateKeySecretRef", namespace, ssh.getPrivateKeySecretRef(), out);
            requireKey(secrets, "spec.ssh.knownHostsSecretRef", namespace, ssh.getKnownHostsSecretRef(), out);
        }
        TlsSpec tls = cluster.getSpec().getTls();
        if (tls != null && tls.getCaSecretRef() != null) {
            String name = tls.getCaSecretRef().getName();
            for (String key : new String[] {"ca.crt", "ca.key"}) {
                requireKey(secrets, "spec.tls.caSecretRef", namespace, new SecretKeyRef(name, key), out);
            }
        }
    }

    private static void requireKey(SecretReader secrets, String field, String namespace, SecretKeyRef ref, Violations out) {
        if (ref == null || ref.getName() == null || ref.getKey() == null) {
            return;
        }
        Optional<Set<String>> keys = secrets.keysOf(namespace, ref.getName());
        if (keys.isEmpty()) {
            out.addExternal(field, "Secret " + namespace + "/" + ref.getName() + " does not exist");
        } else if (!keys.get().contains(ref.getKey())) {
            out.addExternal(field, "Secret " + namespace + "/" + ref.getName() + " has no key \"" + ref.getKey() + "\"");
        }
    }
}
