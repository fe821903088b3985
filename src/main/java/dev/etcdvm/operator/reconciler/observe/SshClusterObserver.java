package dev.etcdvm.operator.reconciler.observe;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.HostKeyPolicy;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.api.v1alpha1.SshSpec;
import dev.etcdvm.operator.reconciler.SecretReader;
import dev.etcdvm.operator.ssh.ExecResult;
import dev.etcdvm.operator.ssh.HostAccessException;
import dev.etcdvm.operator.ssh.HostKeyPins;
import dev.etcdvm.operator.ssh.HostKeyTrust;
import dev.etcdvm.operator.ssh.KnownHostsTrust;
import dev.etcdvm.operator.ssh.RemoteCommand;
import dev.etcdvm.operator.ssh.RemoteHost;
import dev.etcdvm.operator.ssh.SshConnector;
import dev.etcdvm.operator.ssh.SshEndpoint;
import dev.etcdvm.operator.ssh.SshIdentity;
import dev.etcdvm.operator.ssh.TrustOnFirstUse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** Logs in to every member's machine in parallel and checks that privileged commands run. */
public final class SshClusterObserver implements ClusterObserver {
    private final SshConnector ssh;
    private final SecretReader secrets;
    private final Function<EtcdVmCluster, HostKeyPins> pinsOf;
    private final ExecutorService pool;

    public SshClusterObserver(SshConnector ssh, SecretReader secrets, Function<EtcdVmCluster, HostKeyPins> pinsOf,
            ExecutorService pool) {
        this.ssh = ssh;
        this.secrets = secrets;
        this.pinsOf = pinsOf;
        this.pool = pool;
    }

    @Override
    public ObservedCluster observe(EtcdVmCluster cluster) {
        SshSpec spec = cluster.getSpec().getSsh();
        List<MemberSpec> members = cluster.getSpec().getMembers();
        SshIdentity identity;
        HostKeyTrust trust;
        try {
            identity = SshIdentity.parse(secret(cluster, spec.getPrivateKeySecretRef()), describe(spec.getPrivateKeySecretRef()));
            trust = trust(cluster, spec);
        } catch (HostAccessException e) {
            HostFailure failure = failureOf(e);
            return new ObservedCluster(members.stream()
                    .map(m -> HostObservation.unreachable(m.getName(), m.getAddress(), null, failure)).toList());
        }
        Duration timeout = Duration.ofSeconds(spec.getConnectTimeoutSeconds());
        List<CompletableFuture<HostObservation>> probes = members.stream()
                .map(m -> CompletableFuture.supplyAsync(() -> probe(m, spec, identity, trust, timeout), pool))
                .toList();
        return new ObservedCluster(probes.stream().map(CompletableFuture::join).toList());
    }

    private HostObservation probe(MemberSpec member, SshSpec spec, SshIdentity identity, HostKeyTrust trust,
            Duration timeout) {
        int port = member.getSshPort() != null ? member.getSshPort() : spec.getPort();
        SshEndpoint endpoint = new SshEndpoint(member.getAddress(), port, spec.getUser());
        try {
            RemoteHost host = ssh.open(endpoint, identity, trust, timeout);
            // A privileged no-op proves both the login and, for non-root users, `sudo -n`.
            ExecResult result = host.exec(RemoteCommand.privileged("true"), timeout);
            if (!result.succeeded()) {
                return HostObservation.unreachable(member.getName(), member.getAddress(), host.hostKeyFingerprint(),
                        new HostFailure("CommandFailed", "`true` exited " + result.exitCode()));
            }
            return HostObservation.reachable(member.getName(), member.getAddress(), host.hostKeyFingerprint());
        } catch (HostAccessException e) {
            return HostObservation.unreachable(member.getName(), member.getAddress(), null, failureOf(e));
        }
    }

    private HostKeyTrust trust(EtcdVmCluster cluster, SshSpec spec) throws HostAccessException {
        String knownHosts = spec.getKnownHostsSecretRef() == null ? "" : secret(cluster, spec.getKnownHostsSecretRef());
        KnownHostsTrust strict = KnownHostsTrust.parse(knownHosts);
        return spec.getHostKeyPolicy() == HostKeyPolicy.AcceptNew
                ? new TrustOnFirstUse(strict, pinsOf.apply(cluster)) : strict;
    }

    private String secret(EtcdVmCluster cluster, SecretKeyRef ref) throws HostAccessException {
        return secrets.value(cluster.getMetadata().getNamespace(), ref.getName(), ref.getKey())
                .orElseThrow(() -> new HostAccessException(HostAccessException.Kind.InvalidPrivateKey,
                        describe(ref) + " is missing"));
    }

    private static String describe(SecretKeyRef ref) {
        return "Secret " + ref.getName() + " key " + ref.getKey();
    }

    /** One condition reason per failure kind, so alerts can tell a network problem from a key problem. */
    static HostFailure failureOf(HostAccessException e) {
        String reason = switch (e.kind()) {
            case Unreachable -> "HostUnreachable";
            case Timeout -> "SshTimeout";
            case HostKeyRejected -> "HostKeyMismatch";
            case AuthenticationFailed -> "SshAuthenticationFailed";
            case InvalidPrivateKey -> "InvalidPrivateKey";
            case SudoDenied -> "SudoDenied";
            case Protocol -> "SshError";
        };
        return new HostFailure(reason, e.getMessage());
    }
}
