package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.provision.HostProbe;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Failures;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.EtcdObserver;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import dev.etcdvm.operator.ssh.HostAccessException;
import dev.etcdvm.operator.ssh.RemoteHost;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Probes every member's machine in parallel over SSH, then asks etcd itself. */
public final class SshClusterObserver implements ClusterObserver {
    private static final Duration MAX_PROBE_TIME = Duration.ofSeconds(5);
    private final EtcdObserver etcd;
    private final ExecutorService pool;
    private final PhaseTimings timings;

    public SshClusterObserver(EtcdObserver etcd, ExecutorService pool, PhaseTimings timings) {
        this.timings = timings;
        this.etcd = etcd;
        this.pool = pool;
    }

    @Override
    public ObservedCluster observe(EtcdVmCluster cluster, ClusterTls tls, ClusterHosts sessions) {
        boolean formed = cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
        CompletableFuture<EtcdView> etcdView = formed
                ? CompletableFuture.supplyAsync(() -> etcd.observe(cluster, tls), pool) : null;
        List<Login> logins = inParallel(cluster.getSpec().getMembers(), m -> login(sessions, m));
        Map<String, List<Login>> byHostKey = logins.stream().filter(l -> l.host() != null)
                .collect(Collectors.groupingBy(l -> l.host().hostKeyFingerprint()));
        List<HostObservation> hosts = inParallel(logins, l -> l.host() == null ? l.failed()
                : byHostKey.get(l.host().hostKeyFingerprint()).size() > 1
                        ? duplicate(l, byHostKey.get(l.host().hostKeyFingerprint()))
                        : probe(cluster, l.member(), l.host()));
        if (etcdView != null) {
            return new ObservedCluster(hosts, etcdView.join());
        }
        // A cluster never seen formed is asked only once a machine runs etcd or holds its data: the first
        // pass of a new cluster does not wait on connections to members that do not exist yet.
        boolean started = hosts.stream().flatMap(h -> h.facts().stream())
                .anyMatch(f -> f.serviceActive() || f.hasMemberData());
        return new ObservedCluster(hosts, started ? etcd.observe(cluster, tls)
                : EtcdView.unavailable("no member has started yet"));
    }

    @Override
    public EtcdView observeEtcd(EtcdVmCluster cluster, ClusterTls tls) {
        return etcd.observe(cluster, tls);
    }

    @Override
    public void forget(EtcdVmCluster cluster) {
        etcd.forget(cluster);
    }

    /**
     * The probe takes well under a second. A machine that has not answered within a connect timeout (at
     * most 5 s) is treated as down: on a reused session to a crashed machine nothing else would notice,
     * and the whole pass, including the Degraded verdict, waits for the slowest probe.
     */
    private static Duration probeTimeout(EtcdVmCluster cluster) {
        Duration connect = Duration.ofSeconds(cluster.getSpec().getSsh().getConnectTimeoutSeconds());
        return connect.compareTo(MAX_PROBE_TIME) < 0 ? connect : MAX_PROBE_TIME;
    }

    /** A login, or why it failed. */
    private record Login(MemberSpec member, RemoteHost host, HostObservation failed) {
    }

    private static Login login(ClusterHosts sessions, MemberSpec member) {
        try {
            return new Login(member, sessions.open(member), null);
        } catch (HostAccessException e) {
            return new Login(member, null, HostObservation.unreachable(member.getName(), member.getAddress(), null,
                    Failures.of(e, Operation.SSH_CONNECT, member.getName())));
        }
    }

    /**
     * Two members whose machines present the same host key are one machine under two names (an IP and a
     * DNS alias, two NICs): one machine can hold one member, so neither is probed or touched.
     */
    private static HostObservation duplicate(Login login, List<Login> same) {
        String names = same.stream().map(l -> l.member().getName() + " (" + l.member().getAddress() + ")")
                .collect(Collectors.joining(" and "));
        return HostObservation.unreachable(login.member().getName(), login.member().getAddress(),
                login.host().hostKeyFingerprint(), Failure.of(Operation.SSH_CONNECT, FailureReason.DuplicateMachine,
                        login.member().getName(), names + " are the same machine (host key "
                                + login.host().hostKeyFingerprint() + "); nothing was run on it"));
    }

    private <T, R> List<R> inParallel(List<T> items, Function<T, R> work) {
        List<CompletableFuture<R>> futures = items.stream()
                .map(i -> CompletableFuture.supplyAsync(() -> work.apply(i), pool)).toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private HostObservation probe(EtcdVmCluster cluster, MemberSpec member, RemoteHost host) {
        String fingerprint = host.hostKeyFingerprint();
        try {
            PhaseTimings.Stopwatch preflight = timings.start("preflight");
            HostFacts facts = HostProbe.probe(host, HostLayout.of(cluster.getSpec()),
                    cluster.getSpec().getEtcd().getClientPort(), cluster.getSpec().getEtcd().getPeerPort(),
                    probeTimeout(cluster));
            preflight.stop();
            return HostObservation.reachable(member.getName(), member.getAddress(), fingerprint, facts);
        } catch (HostAccessException e) {
            return HostObservation.unreachable(member.getName(), member.getAddress(), fingerprint,
                    Failures.of(e, Operation.SSH_CONNECT, member.getName()));
        } catch (ProvisionException e) {
            return HostObservation.unreachable(member.getName(), member.getAddress(), fingerprint,
                    Failure.of(Operation.HOST_PROBE, FailureReason.ProbeFailed, member.getName(), e.getMessage()));
        }
    }
}
