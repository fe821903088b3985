package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.HostKeyPolicy;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.api.v1alpha1.SshSpec;
import dev.etcdvm.operator.reconciler.kube.SecretReader;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.ssh.HostAccessException;
import dev.etcdvm.operator.ssh.HostKeyPins;
import dev.etcdvm.operator.ssh.HostKeyTrust;
import dev.etcdvm.operator.ssh.KnownHostsTrust;
import dev.etcdvm.operator.ssh.SshConnector;
import dev.etcdvm.operator.ssh.SshEndpoint;
import dev.etcdvm.operator.ssh.SshIdentity;
import dev.etcdvm.operator.ssh.TrustOnFirstUse;
import java.time.Duration;
import java.util.function.Function;

/** Resolves a cluster's SSH credentials from its Secrets and hands out sessions from the shared connector. */
public final class HostAccess implements ClusterAccess {
    private final SshConnector ssh;
    private final Function<EtcdVmCluster, HostKeyPins> pinsOf;

    public HostAccess(SshConnector ssh, Function<EtcdVmCluster, HostKeyPins> pinsOf) {
        this.ssh = ssh;
        this.pinsOf = pinsOf;
    }

    /**
     * Parses the key and known_hosts once; the result serves every machine of the pass. Unusable key
     * material fails every machine alike, with the reason, and no connection is attempted.
     */
    @Override
    public ClusterHosts forCluster(EtcdVmCluster cluster, SecretReader secrets) {
        SshSpec spec = cluster.getSpec().getSsh();
        try {
            SshIdentity identity = SshIdentity.parse(secret(cluster, secrets, spec.getPrivateKeySecretRef()),
                    "Secret " + spec.getPrivateKeySecretRef().getName() + " key " + spec.getPrivateKeySecretRef().getKey());
            String knownHosts = spec.getKnownHostsSecretRef() == null ? ""
                    : secret(cluster, secrets, spec.getKnownHostsSecretRef());
            KnownHostsTrust strict = KnownHostsTrust.parse(knownHosts);
            HostKeyTrust trust = spec.getHostKeyPolicy() == HostKeyPolicy.AcceptNew
                    ? new TrustOnFirstUse(strict, pinsOf.apply(cluster)) : strict;
            Duration timeout = Duration.ofSeconds(spec.getConnectTimeoutSeconds());
            return member -> {
                int port = member.getSshPort() != null ? member.getSshPort() : spec.getPort();
                return ssh.open(new SshEndpoint(member.getAddress(), port, spec.getUser()), identity, trust, timeout);
            };
        } catch (HostAccessException e) {
            return ClusterHosts.unusable(e);
        }
    }

    private static String secret(EtcdVmCluster cluster, SecretReader secrets, SecretKeyRef ref)
            throws HostAccessException {
        return secrets.value(cluster.getMetadata().getNamespace(), ref.getName(), ref.getKey())
                .orElseThrow(() -> new HostAccessException(HostAccessException.Kind.InvalidCredentials,
                        "Secret " + ref.getName() + " key " + ref.getKey() + " is missing"));
    }
}
