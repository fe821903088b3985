package dev.etcdvm.operator.reconciler.hosts;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.HostKeyPolicy;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.api.v1alpha1.SshSpec;
import dev.etcdvm.operator.reconciler.SecretReader;
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
public final class HostAccess {
    private final SshConnector ssh;
    private final SecretReader secrets;
    private final Function<EtcdVmCluster, HostKeyPins> pinsOf;

    public HostAccess(SshConnector ssh, SecretReader secrets, Function<EtcdVmCluster, HostKeyPins> pinsOf) {
        this.ssh = ssh;
        this.secrets = secrets;
        this.pinsOf = pinsOf;
    }

    /** Fails for the whole cluster when the key material itself is unusable. */
    public ClusterHosts forCluster(EtcdVmCluster cluster) throws HostAccessException {
        SshSpec spec = cluster.getSpec().getSsh();
        SshIdentity identity = SshIdentity.parse(secret(cluster, spec.getPrivateKeySecretRef()),
                "Secret " + spec.getPrivateKeySecretRef().getName() + " key " + spec.getPrivateKeySecretRef().getKey());
        String knownHosts = spec.getKnownHostsSecretRef() == null ? "" : secret(cluster, spec.getKnownHostsSecretRef());
        KnownHostsTrust strict = KnownHostsTrust.parse(knownHosts);
        HostKeyTrust trust = spec.getHostKeyPolicy() == HostKeyPolicy.AcceptNew
                ? new TrustOnFirstUse(strict, pinsOf.apply(cluster)) : strict;
        Duration timeout = Duration.ofSeconds(spec.getConnectTimeoutSeconds());
        return member -> {
            int port = member.getSshPort() != null ? member.getSshPort() : spec.getPort();
            return ssh.open(new SshEndpoint(member.getAddress(), port, spec.getUser()), identity, trust, timeout);
        };
    }

    private String secret(EtcdVmCluster cluster, SecretKeyRef ref) throws HostAccessException {
        return secrets.value(cluster.getMetadata().getNamespace(), ref.getName(), ref.getKey())
                .orElseThrow(() -> new HostAccessException(HostAccessException.Kind.InvalidCredentials,
                        "Secret " + ref.getName() + " key " + ref.getKey() + " is missing"));
    }
}
