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
        String uid = cluster.getMetadata().getUid();
        SshSpec ssh = cluster.getSpec().getSsh();
        if (ssh != null) {
            requireKey(secrets, "spec.ssh.privateKeySecretRef", namespace, ssh.getPrivateKeySecretRef(), uid, out);
            requireKey(secrets, "spec.ssh.knownHostsSecretRef", namespace, ssh.getKnownHostsSecretRef(), uid, out);
        }
        TlsSpec tls = cluster.getSpec().getTls();
        if (tls != null && tls.getCaSecretRef() != null) {
            String name = tls.getCaSecretRef().getName();
            for (String key : new String[] {"ca.crt", "ca.key"}) {
                requireKey(secrets, "spec.tls.caSecretRef", namespace, new SecretKeyRef(name, key), uid, out);
            }
        }
    }

    private static void requireKey(SecretReader secrets, String field, String namespace, SecretKeyRef ref,
            String clusterUid, Violations out) {
        if (ref == null || ref.getName() == null || ref.getKey() == null) {
            return;
        }
        // Another cluster's Secret (its generated CA, its pinned host keys) is not this cluster's to use.
        Optional<String> owner = secrets.owningCluster(namespace, ref.getName());
        if (owner.isPresent() && !owner.get().equals(clusterUid)) {
            out.add(field, "Secret " + namespace + "/" + ref.getName() + " belongs to another EtcdVmCluster;"
                    + " refusing to use it");
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
