package dev.etcdvm.operator.reconciler.tls;

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
public final class OwnedSecrets {
    private final KubernetesClient client;

    public OwnedSecrets(KubernetesClient client) {
        this.client = client;
    }

    public Optional<Map<String, String>> read(EtcdVmCluster owner, String name) {
        return read(owner.getMetadata().getNamespace(), name);
    }

    public Optional<Map<String, String>> read(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> decoded = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            decoded.putAll(secret.getStringData());
        }
        return Optional.of(decoded);
    }

    /** Creates or replaces the Secret's data; does nothing when the data is already equal. */
    public void write(EtcdVmCluster owner, String name, Map<String, String> data) {
        String namespace = owner.getMetadata().getNamespace();
        Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
        Map<String, String> encoded = new HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        if (existing == null) {
            client.secrets().inNamespace(namespace).resource(new SecretBuilder()
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
        } else if (!Objects.equals(existing.getData(), encoded)) {
            existing.setData(encoded);
            existing.setStringData(null);
            client.secrets().inNamespace(namespace).resource(existing).update();
        }
    }
}
