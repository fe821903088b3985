package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.ssh.HostKeyPins;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * AcceptNew pins, kept in a Secret the cluster resource owns, so they survive operator restarts and
 * are garbage collected with the resource. Keys are {@code <host>_<port>}.
 */
public final class KubernetesHostKeyPins implements HostKeyPins {
    private final KubernetesClient client;
    private final EtcdVmCluster cluster;

    public KubernetesHostKeyPins(KubernetesClient client, EtcdVmCluster cluster) {
        this.client = client;
        this.cluster = cluster;
    }

    public static String secretName(EtcdVmCluster cluster) {
        return cluster.getMetadata().getName() + "-ssh-host-keys";
    }

    @Override
    public Optional<String> pinned(String hostAndPort) {
        return Optional.ofNullable(secret())
                .map(Secret::getData)
                .map(data -> data.get(key(hostAndPort)))
                .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void pin(String hostAndPort, String publicKeyLine) {
        String value = Base64.getEncoder().encodeToString(publicKeyLine.getBytes(StandardCharsets.UTF_8));
        Secret existing = secret();
        if (existing == null) {
            client.secrets().inNamespace(cluster.getMetadata().getNamespace()).resource(new SecretBuilder()
                    .withNewMetadata()
                        .withName(secretName(cluster))
                        .withNamespace(cluster.getMetadata().getNamespace())
                        .addToLabels("app.kubernetes.io/managed-by", "etcd-vm-operator")
                        .withOwnerReferences(new OwnerReferenceBuilder()
                                .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                                .withName(cluster.getMetadata().getName()).withUid(cluster.getMetadata().getUid())
                                .withController(true).withBlockOwnerDeletion(true).build())
                    .endMetadata()
                    .addToData(key(hostAndPort), value)
                    .build()).create();
        } else {
            if (existing.getData() == null) {
                existing.setData(new java.util.HashMap<>());
            }
            existing.getData().put(key(hostAndPort), value);
            // Update (not patch) carries the resourceVersion: a concurrent pin fails instead of being lost.
            client.secrets().inNamespace(cluster.getMetadata().getNamespace()).resource(existing).update();
        }
    }

    private Secret secret() {
        return client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(secretName(cluster)).get();
    }

    private static String key(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return hostAndPort.substring(0, colon).replace(':', '.') + "_" + hostAndPort.substring(colon + 1);
    }
}
