package dev.etcdvm.operator.reconciler.kube;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The key that seals what this operator records in a cluster's status before acting on it, kept in the Secret
 * {@code <name>-status-seal} that the cluster owns; made the first time a record is to be sealed. A Secret of that
 * name the cluster does not own is never used: anyone who can create Secrets could otherwise pick the key.
 */
public final class StatusSealKey {
    static final String KEY = "hmac-sha256.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private StatusSealKey() {
    }

    public static String secretName(EtcdVmCluster cluster) {
        return cluster.getMetadata().getName() + "-status-seal";
    }

    /** The cluster's seal key, made now when there is none yet; empty when the name is taken. */
    public static <S extends SecretStore & SecretReader> Optional<byte[]> of(EtcdVmCluster cluster, S secrets) {
        String namespace = cluster.getMetadata().getNamespace();
        String name = secretName(cluster);
        Optional<String> owner = secrets.owningCluster(namespace, name);
        Optional<String> stored = secrets.value(namespace, name, KEY);
        if (stored.isPresent() && owner.filter(cluster.getMetadata().getUid()::equals).isPresent()) {
            return Optional.of(Base64.getDecoder().decode(stored.get().strip()));
        }
        if (secrets.keysOf(namespace, name).isPresent()) {
            return Optional.empty();
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        secrets.write(cluster, name, Map.of(KEY, Base64.getEncoder().encodeToString(key)));
        return Optional.of(key);
    }
}
