package dev.etcdvm.operator.reconciler.kube;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.ssh.HostKeyPins;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * AcceptNew pins, kept in a Secret the cluster resource owns, so they survive operator restarts and
 * are garbage collected with the resource. Keys are {@code <host>_<port>}.
 */
public final class KubernetesHostKeyPins implements HostKeyPins {
    private final SecretStore secrets;
    private final EtcdVmCluster cluster;

    public KubernetesHostKeyPins(SecretStore secrets, EtcdVmCluster cluster) {
        this.secrets = secrets;
        this.cluster = cluster;
    }

    public static String secretName(EtcdVmCluster cluster) {
        return cluster.getMetadata().getName() + "-ssh-host-keys";
    }

    @Override
    public Optional<String> pinned(String hostAndPort) {
        return secrets.read(cluster, secretName(cluster)).map(data -> data.get(key(hostAndPort)));
    }

    /** Written with the version it was read at: a concurrent pin fails instead of being lost. */
    @Override
    public synchronized void pin(String hostAndPort, String publicKeyLine) {
        Map<String, String> pins = new HashMap<>(secrets.read(cluster, secretName(cluster)).orElseGet(Map::of));
        pins.put(key(hostAndPort), publicKeyLine);
        secrets.write(cluster, secretName(cluster), pins);
    }

    private static String key(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return hostAndPort.substring(0, colon).replace(':', '.') + "_" + hostAndPort.substring(colon + 1);
    }
}
