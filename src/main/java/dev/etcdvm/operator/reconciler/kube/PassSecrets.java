package dev.etcdvm.operator.reconciler.kube;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Secrets of one pass: each is read from the API server at most once, however many parts of the pass
 * (validation, certificates, SSH credentials) need it, and a write starts from that same read. Lives as
 * long as one pass, so a Secret the user changes is seen by the next pass.
 */
public final class PassSecrets implements SecretStore, SecretReader {
    private final OwnedSecrets secrets;
    private final Map<String, Optional<Secret>> seen = new HashMap<>();

    public PassSecrets(OwnedSecrets secrets) {
        this.secrets = secrets;
    }

    private synchronized Optional<Secret> get(String namespace, String name) {
        return seen.computeIfAbsent(namespace + "/" + name, k -> secrets.get(namespace, name));
    }

    @Override
    public Optional<Map<String, String>> read(String namespace, String name) {
        return get(namespace, name).map(OwnedSecrets::decode);
    }

    @Override
    public synchronized void write(EtcdVmCluster owner, String name, Map<String, String> data) {
        String namespace = owner.getMetadata().getNamespace();
        Secret stored = secrets.write(owner, name, data, get(namespace, name));
        seen.put(namespace + "/" + name, Optional.of(stored));
    }

    @Override
    public Optional<String> owningCluster(String namespace, String name) {
        return get(namespace, name).flatMap(OwnedSecrets::ownerUid);
    }

    @Override
    public Optional<Set<String>> keysOf(String namespace, String name) {
        return read(namespace, name).map(data -> Set.copyOf(data.keySet()));
    }

    @Override
    public Optional<String> value(String namespace, String name, String key) {
        return read(namespace, name).map(data -> data.get(key));
    }
}
