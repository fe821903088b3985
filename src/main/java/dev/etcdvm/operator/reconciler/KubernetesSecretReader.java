package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.reconciler.tls.OwnedSecrets;
import java.util.Optional;
import java.util.Set;

/** Reads Secrets with a plain GET, the only read verb the operator's RBAC grants on them. */
public final class KubernetesSecretReader implements SecretReader {
    private final OwnedSecrets secrets;

    public KubernetesSecretReader(OwnedSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public Optional<Set<String>> keysOf(String namespace, String name) {
        return secrets.read(namespace, name).map(data -> Set.copyOf(data.keySet()));
    }

    @Override
    public Optional<String> value(String namespace, String name, String key) {
        return secrets.read(namespace, name).map(data -> data.get(key));
    }
}
