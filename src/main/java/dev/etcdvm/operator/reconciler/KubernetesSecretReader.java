package dev.etcdvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Reads Secrets with a plain GET, the only read verb the operator's RBAC grants on them. */
public final class KubernetesSecretReader implements SecretReader {
    private final KubernetesClient client;

    public KubernetesSecretReader(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Set<String>> keysOf(String namespace, String name) {
        return get(namespace, name).map(secret -> {
            Set<String> keys = new HashSet<>();
            if (secret.getData() != null) {
                keys.addAll(secret.getData().keySet());
            }
            if (secret.getStringData() != null) {
                keys.addAll(secret.getStringData().keySet());
            }
            return keys;
        });
    }

    @Override
    public Optional<String> value(String namespace, String name, String key) {
        return get(namespace, name).flatMap(secret -> {
            if (secret.getData() != null && secret.getData().containsKey(key)) {
                return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
            }
            // stringData is write-only on a real API server, but the test server keeps it as sent.
            return Optional.ofNullable(secret.getStringData()).map(d -> d.get(key));
        });
    }

    private Optional<Secret> get(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }
}
