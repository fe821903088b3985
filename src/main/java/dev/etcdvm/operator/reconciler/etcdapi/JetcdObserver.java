package dev.etcdvm.operator.reconciler.etcdapi;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.etcd.EndpointHealth;
import dev.etcdvm.operator.etcd.EndpointStatus;
import dev.etcdvm.operator.etcd.EtcdCluster;
import dev.etcdvm.operator.etcd.EtcdException;
import dev.etcdvm.operator.etcd.EtcdMember;
import dev.etcdvm.operator.reconciler.etcdapi.EtcdConnections;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdObserver;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * Asks etcd (member list, then status and health of every member's own endpoint, in parallel).
 * Connections are kept per cluster (by uid) and replaced when its endpoints or certificates change.
 */
public final class JetcdObserver implements EtcdObserver, AutoCloseable {
    private final EtcdConnections connections;
    private final ExecutorService pool;

    public JetcdObserver(EtcdConnections connections, ExecutorService pool) {
        this.connections = connections;
        this.pool = pool;
    }

    @Override
    public EtcdView observe(EtcdVmCluster cluster, ClusterTls tls) {
        EtcdCluster etcd = connections.of(cluster, tls);
        List<EtcdMember> members;
        try {
            members = etcd.members();
        } catch (EtcdException e) {
            return EtcdView.unavailable(e.getMessage());
        }
        List<CompletableFuture<Probe>> probes = members.stream()
                .map(m -> CompletableFuture.supplyAsync(() -> probe(etcd, m), pool)).toList();
        List<Probe> answers = probes.stream().map(CompletableFuture::join).toList();
        // Without a leader the alarm list, a request through raft, would only wait out its timeout.
        boolean led = answers.stream().anyMatch(p -> p.status() != null && p.status().knowsLeader());
        Optional<List<String>> alarms = led ? alarms(etcd) : Optional.empty();
        return view(answers, alarms.orElse(List.of()), alarms.isPresent()).withClusterVersion(clusterVersion(etcd, answers));
    }

    /** As the leader tells it: it is the one that raises the cluster version. */
    private static Optional<String> clusterVersion(EtcdCluster etcd, List<Probe> answers) {
        Optional<String> leader = answers.stream().filter(p -> p.status() != null && p.status().isLeader())
                .map(p -> p.status().endpoint()).findFirst();
        try {
            return leader.map(etcd::clusterVersion);
        } catch (EtcdException e) {
            return Optional.empty();
        }
    }

    /** A member's own endpoint; one never started has no client URL yet, so none is asked. */
    private Probe probe(EtcdCluster etcd, EtcdMember member) {
        Optional<String> endpoint = member.clientUrls().stream().findFirst();
        if (endpoint.isEmpty()) {
            return new Probe(member, null, EndpointHealth.unhealthy("", Duration.ZERO, "member has not started yet"));
        }
        EndpointStatus status;
        try {
            status = etcd.status(endpoint.get());
        } catch (EtcdException e) {
            // A member that does not answer its status will not answer a read either: asking again would
            // only add another timeout to the pass, and with it to how late Degraded is reported.
            return new Probe(member, null, EndpointHealth.unhealthy(endpoint.get(), Duration.ZERO, e.getMessage()));
        }
        if (!status.knowsLeader()) {
            // A read would only wait out its timeout: a member that knows no leader serves none.
            return new Probe(member, status, EndpointHealth.unhealthy(endpoint.get(), Duration.ZERO,
                    "knows no leader (raft term " + status.raftTerm() + ")"));
        }
        // A learner serves no linearizable reads: its answering status is all the health it has.
        EndpointHealth health = member.learner() ? EndpointHealth.healthy(endpoint.get(), Duration.ZERO)
                : etcd.health(endpoint.get());
        return new Probe(member, status, health);
    }

    private record Probe(EtcdMember member, EndpointStatus status, EndpointHealth health) {
    }

    private static EtcdView view(List<Probe> probes, List<String> alarms, boolean alarmsKnown) {
        Map<Long, Long> votes = probes.stream().filter(p -> p.status() != null)
                .collect(Collectors.groupingBy(p -> p.status().clusterId(), Collectors.counting()));
        Optional<Long> clusterId = votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        List<String> foreign = votes.keySet().stream().filter(id -> !Optional.of(id).equals(clusterId))
                .map(EtcdMember::hex).toList();
        Optional<Long> leaderId = probes.stream().filter(p -> p.status() != null && p.status().leaderId() != 0)
                .map(p -> p.status().leaderId()).findFirst();
        List<EtcdMemberView> members = new ArrayList<>();
        for (Probe p : probes) {
            EndpointStatus s = p.status();
            members.add(new EtcdMemberView(p.member().hexId(), p.member().name(), p.member().peerUrls(),
                    p.member().clientUrls(), p.member().learner(), p.health().healthy(),
                    p.health().healthy() ? p.health().latency().toMillis() : null, p.health().error(),
                    s == null ? null : s.version(), s == null ? null : s.dbSize(),
                    s == null || s.dbSizeInUse() == 0 ? null : s.dbSizeInUse(),
                    s == null ? null : s.raftTerm(), s == null ? null : s.raftIndex(),
                    leaderId.map(id -> id == p.member().id()).orElse(false), s == null ? null : s.revision()));
        }
        return new EtcdView(clusterId.map(EtcdMember::hex), members, foreign, alarms, alarmsKnown, Optional.empty());
    }

    /** Empty when the list could not be read: that is not the same as no alarms. */
    private static Optional<List<String>> alarms(EtcdCluster etcd) {
        try {
            return Optional.of(etcd.alarms().stream().map(Object::toString).toList());
        } catch (EtcdException e) {
            return Optional.empty();
        }
    }

    @Override
    public void forget(EtcdVmCluster cluster) {
        connections.forget(cluster);
    }

    @Override
    public void close() {
        connections.close();
    }
}
