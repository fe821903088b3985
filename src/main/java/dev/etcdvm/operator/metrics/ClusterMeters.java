package dev.etcdvm.operator.metrics;

import dev.etcdvm.operator.reconciler.status.ClusterReading;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Per-cluster and per-member gauges, from the latest reading of each cluster. Every gauge's rows are registered
 * again from all readings whenever one changes, so a member that left or a cluster that was deleted leaves no
 * series behind. Times (certificate expiry, last snapshot) are turned into ages when scraped.
 */
final class ClusterMeters {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, ClusterReading> readings = new ConcurrentHashMap<>();
    private final Map<String, Counter> leaderChanges = new ConcurrentHashMap<>();
    private final List<ClusterGauge> clusterGauges = new ArrayList<>();
    private final List<MemberGauge> memberGauges = new ArrayList<>();

    private record ClusterGauge(MultiGauge gauge, ToDoubleFunction<ClusterReading> value,
            Function<ClusterReading, Boolean> present) {
    }

    private record MemberGauge(MultiGauge gauge, Function<ClusterReading.MemberReading, Number> value) {
    }

    ClusterMeters(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        cluster("etcdvm.cluster.members.wanted", "Members the spec asks for", r -> r.wanted());
        cluster("etcdvm.cluster.members.healthy", "Healthy voting members", r -> r.healthy());
        cluster("etcdvm.cluster.members.voting", "Voting members etcd lists", r -> r.voting());
        cluster("etcdvm.cluster.has.leader", "1 when a member leads", r -> r.leader().isPresent() ? 1 : 0);
        cluster("etcdvm.cluster.ready", "1 when the Ready condition is True", r -> r.ready() ? 1 : 0);
        clusterIf("etcdvm.cluster.certificate.expiry.seconds", "Seconds until the first certificate or CA expires",
                r -> r.firstCertificateExpiry().map(t -> Duration.between(clock.instant(), t).toSeconds()).orElse(0L),
                r -> r.firstCertificateExpiry().isPresent());
        clusterIf("etcdvm.cluster.certificate.renew.before.seconds", "How long before expiry certificates are renewed",
                r -> r.renewBefore().toSeconds(), r -> r.firstCertificateExpiry().isPresent());
        clusterIf("etcdvm.cluster.backup.age.seconds", "Seconds since the last good snapshot was stored",
                r -> r.lastGoodSnapshot().map(t -> Duration.between(t, clock.instant()).toSeconds()).orElse(0L),
                r -> r.lastGoodSnapshot().isPresent());
        member("etcdvm.member.healthy", "1 when the member answers a linearizable read", m -> m.healthy() ? 1 : 0);
        member("etcdvm.member.db.total.bytes", "Size of the member's database file", m -> m.dbTotalBytes());
        member("etcdvm.member.db.in.use.bytes", "Bytes of the member's database in use", m -> m.dbInUseBytes());
        member("etcdvm.member.raft.index.lag", "Raft entries the member is behind the leader", m -> m.raftLag());
        member("etcdvm.member.health.latency.seconds", "Latency of the member's last health read",
                m -> m.healthLatencyMillis() == null ? null : m.healthLatencyMillis() / 1000.0);
    }

    void record(ClusterReading reading) {
        String key = key(reading.namespace(), reading.cluster());
        ClusterReading before = readings.put(key, reading);
        if (before != null && before.leader().isPresent() && reading.leader().isPresent()
                && !before.leader().equals(reading.leader())) {
            leaderChanges.computeIfAbsent(key, k -> Counter.builder("etcdvm.cluster.leader.changes")
                    .description("Leader changes the operator saw between two looks")
                    .tags(clusterTags(reading)).register(registry)).increment();
        }
        refresh();
    }

    void forget(String namespace, String cluster) {
        String key = key(namespace, cluster);
        readings.remove(key);
        Counter changes = leaderChanges.remove(key);
        if (changes != null) {
            registry.remove(changes);
        }
        refresh();
    }

    private synchronized void refresh() {
        List<ClusterReading> all = List.copyOf(readings.values());
        for (ClusterGauge g : clusterGauges) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (ClusterReading r : all) {
                if (g.present().apply(r)) {
                    rows.add(MultiGauge.Row.of(clusterTags(r), r, g.value()));
                }
            }
            g.gauge().register(rows, true);
        }
        for (MemberGauge g : memberGauges) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (ClusterReading r : all) {
                for (ClusterReading.MemberReading m : r.members()) {
                    Number value = g.value().apply(m);
                    if (value != null) {
                        rows.add(MultiGauge.Row.of(clusterTags(r).and("member", m.name()), value));
                    }
                }
            }
            g.gauge().register(rows, true);
        }
    }

    private void cluster(String name, String description, ToDoubleFunction<ClusterReading> value) {
        clusterIf(name, description, value, r -> true);
    }

    private void clusterIf(String name, String description, ToDoubleFunction<ClusterReading> value,
            Function<ClusterReading, Boolean> present) {
        clusterGauges.add(new ClusterGauge(MultiGauge.builder(name).description(description).register(registry), value,
                present));
    }

    private void member(String name, String description, Function<ClusterReading.MemberReading, Number> value) {
        memberGauges.add(new MemberGauge(MultiGauge.builder(name).description(description).register(registry), value));
    }

    private static Tags clusterTags(ClusterReading r) {
        return Tags.of("namespace", r.namespace(), "cluster", r.cluster());
    }

    private static String key(String namespace, String cluster) {
        return Objects.requireNonNull(namespace) + "/" + cluster;
    }
}
