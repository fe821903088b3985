package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.objectstore.StoreLocation;
import dev.etcdvm.operator.reconciler.kube.SecretStore;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** The store's location with its credentials, read from the user's Secrets when a snapshot is about to be taken. */
final class StoreCredentials {
    static final String ACCESS_KEY_ID = "accessKeyId";
    static final String SECRET_ACCESS_KEY = "secretAccessKey";

    private StoreCredentials() {
    }

    /** @throws IllegalStateException naming the Secret or key that is missing (never a value) */
    static StoreLocation locate(EtcdVmCluster cluster, SecretStore secrets) {
        BackupStoreSpec store = cluster.getSpec().getBackup().getStore();
        String namespace = cluster.getMetadata().getNamespace();
        String name = store.getCredentialsSecretRef().getName();
        Map<String, String> data = secrets.read(namespace, name)
                .orElseThrow(() -> new IllegalStateException("Secret " + name + " with the store's credentials does not exist"));
        Optional<String> ca = Optional.ofNullable(store.getCaSecretRef()).map(ref -> secrets.read(namespace, ref.getName())
                .map(d -> d.get(ref.getKey())).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException("Secret " + ref.getName() + " has no key " + ref.getKey())));
        return new StoreLocation(URI.create(store.getEndpoint()), store.getBucket(), store.getRegion(), store.isPathStyle(),
                ca, required(data, name, ACCESS_KEY_ID), required(data, name, SECRET_ACCESS_KEY));
    }

    private static String required(Map<String, String> data, String secret, String key) {
        String value = data.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Secret " + secret + " has no key " + key);
        }
        return value.trim();
    }
}
