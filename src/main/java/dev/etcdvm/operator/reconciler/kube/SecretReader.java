package dev.etcdvm.operator.reconciler.kube;

import java.util.Optional;
import java.util.Set;

/** Reads Secrets by name only (RBAC grants get, never list or watch). */
public interface SecretReader {
    /** The data keys of a Secret, or empty when it does not exist. */
    Optional<Set<String>> keysOf(String namespace, String name);

    /** One decoded value, or empty when the Secret or the key does not exist. */
    Optional<String> value(String namespace, String name, String key);

    /** The uid of the EtcdVmCluster that owns the Secret, when one does. */
    default Optional<String> owningCluster(String namespace, String name) {
        return Optional.empty();
    }
}
