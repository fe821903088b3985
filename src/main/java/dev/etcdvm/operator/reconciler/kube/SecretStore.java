package dev.etcdvm.operator.reconciler.kube;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import java.util.Map;
import java.util.Optional;

/** Secrets by name, decoded: read any, write only those the cluster owns. */
public interface SecretStore {
    /** The decoded data, or empty when the Secret does not exist. */
    Optional<Map<String, String>> read(String namespace, String name);

    /** Creates the Secret owned by {@code owner}, or replaces its data; nothing when it is already equal. */
    void write(EtcdVmCluster owner, String name, Map<String, String> data);

    default Optional<Map<String, String>> read(EtcdVmCluster owner, String name) {
        return read(owner.getMetadata().getNamespace(), name);
    }
}
