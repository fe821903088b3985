package dev.etcdvm.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.reconciler.status.ClusterReading;
import dev.etcdvm.operator.reconciler.status.ClusterReading.MemberReading;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a scrape shows of a cluster's readings and the operator's internals, and that a deleted cluster leaves none. */
class OperatorMetricsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final OperatorMetrics metrics = new OperatorMetrics(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aClustersNumbersAreSeriesLabelledByNamespaceClusterAndMember() {
        metrics.record(reading("etcd-1", true));
        String scrape = metrics.scrape();
        assertThat(scrape).contains(
                "etcdvm_cluster_members_wanted{cluster=\"main\",namespace=\"ns\"} 3.0",
                "etcdvm_cluster_members_healthy{cluster=\"main\",namespace=\"ns\"} 2.0",
                "etcdvm_cluster_has_leader{cluster=\"main\",namespace=\"ns\"} 1.0",
                "etcdvm_cluster_ready{cluster=\"main\",namespace=\"ns\"} 0.0",
                "etcdvm_cluster_certificate_expiry_seconds{cluster=\"main\",namespace=\"ns\"} 86400.0",
                "etcdvm_cluster_certificate_renew_before_seconds{cluster=\"main\",namespace=\"ns\"} 2592000.0",
                "etcdvm_cluster_backup_age_seconds{cluster=\"main\",namespace=\"ns\"} 600.0",
                "etcdvm_member_db_total_bytes{cluster=\"main\",member=\"etcd-2\",namespace=\"ns\"} 40960.0",
                "etcdvm_member_raft_index_lag{cluster=\"main\",member=\"etcd-2\",namespace=\"ns\"} 7.0",
                "etcdvm_member_health_latency_seconds{cluster=\"main\",member=\"etcd-1\",namespace=\"ns\"} 0.003");
        assertThat(scrape).as("a number nobody knows is no series")
                .doesNotContain("etcdvm_member_raft_index_lag{cluster=\"main\",member=\"etcd-3\"");
    }

    @Test
    void aNewLeaderIsCountedAndADeletedClusterLeavesNoSeries() {
        metrics.record(reading("etcd-1", true));
        metrics.record(reading("etcd-2", true));
        assertThat(metrics.scrape()).contains("etcdvm_cluster_leader_changes_total{cluster=\"main\",namespace=\"ns\"} 1.0");
        metrics.forget("ns", "main");
        assertThat(metrics.scrape()).doesNotContain("cluster=\"main\"");
    }

    @Test
    void remoteCommandsAndEtcdCallsAreTimedByOperationAndOutcome() {
        metrics.commandRan("probe script", Duration.ofMillis(40), "ok");
        metrics.called("etcd.status", "failed", Duration.ofMillis(5000));
        metrics.watchSessions(() -> 4, () -> 3);
        assertThat(metrics.scrape()).contains(
                "etcdvm_remote_commands_seconds_count{operation=\"probe script\",outcome=\"ok\"} 1",
                "etcdvm_etcd_calls_seconds_count{operation=\"etcd.status\",outcome=\"failed\"} 1",
                "etcdvm_ssh_sessions_opened_total 4.0", "etcdvm_ssh_sessions_open 3.0");
    }

    private static ClusterReading reading(String leader, boolean healthyFirst) {
        return new ClusterReading("ns", "main", 3, 2, 3, Optional.of(leader), false, List.of(
                new MemberReading("etcd-1", healthyFirst, 40960L, 20480L, 0L, 3L),
                new MemberReading("etcd-2", true, 40960L, 20480L, 7L, 4L),
                new MemberReading("etcd-3", false, null, null, null, null)),
                Optional.of(NOW.plus(Duration.ofDays(1))), Duration.ofDays(30), Optional.of(NOW.minusSeconds(600)));
    }
}
