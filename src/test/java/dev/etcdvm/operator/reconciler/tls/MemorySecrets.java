package dev.etcdvm.operator.reconciler.tls;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.kube.SecretStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Secrets in memory, counting writes that changed something. */
final class MemorySecrets implements SecretStore {
    final Map<String, Map<String, String>> secrets = new HashMap<>();
    int writes;

    @Override
    public Optional<Map<String, String>> read(String namespace, String name) {
        return Optional.ofNullable(secrets.get(name)).map(Map::copyOf);
    }

    @Override
    public void write(EtcdVmCluster owner, String name, Map<String, String> data) {
        if (!data.equals(secrets.get(name))) {
            writes++;
            secrets.put(name, Map.copyOf(data));
        }
    }
}
