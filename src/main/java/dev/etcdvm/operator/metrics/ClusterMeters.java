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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
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

    /** @param series the keys ("namespace/name") its rows were last registered for */
    private record ClusterGauge(MultiGauge gauge, ToDoubleFunction<ClusterReading> value,
            Function<ClusterReading, Boolean> present, AtomicReference<Set<String>> series) {
    }

    /** @param series the keys ("namespace/name|member") its rows were last registered for */
    private record MemberGauge(MultiGauge gauge, Function<ClusterReading.MemberReading, Number> value,
            AtomicReference<Set<String>> series) {
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

    /**
     * Registers each gauge's rows again only when the series it should have changed (a cluster or member came or
     * went, a number became known or unknown): rows read the latest reading when scraped, so a pass that only moves
     * numbers costs no registration.
     */
    private synchronized void refresh() {
        for (ClusterGauge g : clusterGauges) {
            Set<String> series = new TreeSet<>();
            readings.forEach((key, r) -> {
                if (g.present().apply(r)) {
                    series.add(key);
                }
            });
            if (!series.equals(g.series().getAndSet(series))) {
                g.gauge().register(series.stream().map(key -> MultiGauge.Row.of(clusterTags(readings.get(key)), key,
                        k -> Optional.ofNullable(readings.get(k)).map(r -> g.value().applyAsDouble(r)).orElse(Double.NaN)))
                        .toList(), true);
            }
        }
        for (MemberGauge g : memberGauges) {
            Set<String> series = new TreeSet<>();
            readings.forEach((key, r) -> r.members().forEach(m -> {
                if (g.value().apply(m) != null) {
                    series.add(key + "|" + m.name());
                }
            }));
            if (!series.equals(g.series().getAndSet(series))) {
                g.gauge().register(series.stream().map(entry -> {
                    String key = entry.substring(0, entry.indexOf('|'));
                    String member = entry.substring(entry.indexOf('|') + 1);
                    return MultiGauge.Row.of(clusterTags(readings.get(key)).and("member", member), entry,
                            e -> memberValue(g, key, member));
                }).toList(), true);
            }
        }
    }

    private double memberValue(MemberGauge g, String key, String member) {
        return Optional.ofNullable(readings.get(key)).flatMap(r -> r.members().stream()
                        .filter(m -> m.name().equals(member)).findFirst())
                .map(m -> g.value().apply(m)).map(Number::doubleValue).orElse(Double.NaN);
    }

    private void cluster(String name, String description, ToDoubleFunction<ClusterReading> value) {
        clusterIf(name, description, value, r -> true);
    }

    private void clusterIf(String name, String description, ToDoubleFunction<ClusterReading> value,
            Function<ClusterReading, Boolean> present) {
        clusterGauges.add(new ClusterGauge(MultiGauge.builder(name).description(description).register(registry), value,
                present, new AtomicReference<>(Set.of())));
    }

    private void member(String name, String description, Function<ClusterReading.MemberReading, Number> value) {
        memberGauges.add(new MemberGauge(MultiGauge.builder(name).description(description).register(registry), value,
                new AtomicReference<>(Set.of())));
    }

    private static Tags clusterTags(ClusterReading r) {
        return Tags.of("namespace", r.namespace(), "cluster", r.cluster());
    }

    private static String key(String namespace, String cluster) {
        return Objects.requireNonNull(namespace) + "/" + cluster;
    }
}
