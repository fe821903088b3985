package dev.etcdvm.operator.reconciler.kube;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Secrets by name: the ones the cluster resource owns (garbage collected with it), written with the
 * resourceVersion they were read at so two operator replicas cannot silently overwrite each other,
 * and the user's, only read. Values are decoded here and nowhere else.
 */
public final class OwnedSecrets implements SecretStore {
    private final KubernetesClient client;

    public OwnedSecrets(KubernetesClient client) {
        this.client = client;
    }

    /** The stored Secret, as the API server has it now. */
    Optional<Secret> get(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Map<String, String>> read(String namespace, String name) {
        return get(namespace, name).map(OwnedSecrets::decode);
    }

    @Override
    public void write(EtcdVmCluster owner, String name, Map<String, String> data) {
        write(owner, name, data, get(owner.getMetadata().getNamespace(), name));
    }

    /** The uid of the EtcdVmCluster that owns {@code secret} (as controller), if any. */
    static Optional<String> ownerUid(Secret secret) {
        return secret.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : secret.getMetadata().getOwnerReferences().stream()
                        .filter(r -> EtcdVmCluster.class.getSimpleName().equals(r.getKind())
                                && r.getApiVersion() != null && r.getApiVersion().startsWith(EtcdVmCluster.GROUP + "/"))
                        .map(r -> r.getUid()).findFirst();
    }

    static Map<String, String> decode(Secret secret) {
        Map<String, String> decoded = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            decoded.putAll(secret.getStringData());
        }
        return decoded;
    }

    /**
     * Creates or replaces the Secret's data, starting from {@code existing} as it was read; does nothing
     * when the data is already equal.
     *
     * @return the Secret as stored afterwards
     */
    Secret write(EtcdVmCluster owner, String name, Map<String, String> data, Optional<Secret> existing) {
        String namespace = owner.getMetadata().getNamespace();
        Map<String, String> encoded = new HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        if (existing.isEmpty()) {
            return client.secrets().inNamespace(namespace).resource(new SecretBuilder()
                    .withNewMetadata()
                        .withName(name).withNamespace(namespace)
                        .addToLabels("app.kubernetes.io/managed-by", "etcd-vm-operator")
                        .addToLabels("etcdvm.dev/cluster", owner.getMetadata().getName())
                        .withOwnerReferences(new OwnerReferenceBuilder()
                                .withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                                .withController(true).withBlockOwnerDeletion(true).build())
                    .endMetadata()
                    .withType("Opaque")
                    .withData(encoded)
                    .build()).create();
        }
        Secret stored = existing.get();
        if (!ownerUid(stored).equals(Optional.ofNullable(owner.getMetadata().getUid()))) {
            throw new SecretNotOwnedException("Secret " + namespace + "/" + name + " exists but is not owned by"
                    + " EtcdVmCluster " + owner.getMetadata().getName() + ": it is neither adopted nor overwritten;"
                    + " delete or rename it");
        }
        if (Objects.equals(stored.getData(), encoded)) {
            return stored;
        }
        stored.setData(encoded);
        stored.setStringData(null);
        return client.secrets().inNamespace(namespace).resource(stored).update();
    }
}
