package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus with deploy/monitoring's rules scrapes the operator's /metrics and the members' metrics
 * listeners: a real cluster's series are there, the dashboard's queries find data, and a crashed machine turns
 * etcdMembersDown pending within 30 s.
 */
class PrometheusIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    /** Dashboard queries that have no data on a young cluster with no backups, no leader change and no failure. */
    private static final Set<String> NO_DATA_YET = Set.of("Seconds since the last good snapshot",
            "Leader changes (operator, 1h)", "Operator: reconciliations failed (rate)");

    @AfterEach
    void defaultOperator() {
        fixture.stopOperator();
        fixture.startOperator();
    }

    @Test
    void theClustersSeriesAreScrapedAndACrashedMemberAlerts(@TempDir Path dir) throws Exception {
        int metricsPort = PrometheusServer.freePort();
        fixture.stopOperator();
        fixture.startOperatorServingMetrics(metricsPort);
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        fixture.api().client().resource(fixture.cluster("prom", "3.5.16", vms)).create();
        fixture.awaitReady("prom", READY_WITHIN);
        String ns = fixture.api().namespace();
        List<String> members = vms.stream().map(m -> m.address() + ":2381").toList();

        try (PrometheusServer prometheus = PrometheusServer.start(dir, "127.0.0.1:" + metricsPort, members, ns + "/prom")) {
            String healthy = "etcdvm_cluster_members_healthy{namespace=\"" + ns + "\", cluster=\"prom\"}";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> value(prometheus.query(healthy)) == 3.0);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> prometheus.query("etcd_server_has_leader{job=\"etcd-vm-members\"} == 1").size() == 3);
            assertThat(prometheus.query("sum(etcdvm_etcd_calls_seconds_count{outcome=\"ok\"})")).isNotEmpty();
            assertThat(prometheus.query("etcdvm_remote_commands_seconds_count{operation=\"probe script\"}")).isNotEmpty();
            assertThat(prometheus.query("operator_sdk_reconciliations_started_total")).isNotEmpty();
            // Rates need two scrapes inside their window: a panel may take a few seconds to show data.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(emptyDashboardPanels(prometheus, ns)).as("dashboard panels without data")
                            .isSubsetOf(NO_DATA_YET));
            // Peers that failed to reach each other while the cluster formed count for two minutes: wait them out, so
            // the alert below is the crash's and not the formation's.
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> find(prometheus.alerts(), "etcdMembersDown") == null);

            Instant crashedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            testbed.crash("vm3");
            long crashed = System.nanoTime();
            JsonNode alert = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> find(prometheus.alerts(), "etcdMembersDown"), a -> a != null);
            System.out.printf("crash -> etcdMembersDown %s: %d ms%n", alert.path("state").asText(),
                    (System.nanoTime() - crashed) / 1_000_000);
            assertThat(alert.path("labels").path("cluster").asText()).isEqualTo(ns + "/prom");
            assertThat(alert.path("state").asText()).isIn("pending", "firing");
            assertThat(Instant.parse(alert.path("activeAt").asText())).as("active since the crash")
                    .isAfterOrEqualTo(crashedAt);
        }
    }

    /** Each dashboard panel whose every query comes back empty, by title. */
    private static List<String> emptyDashboardPanels(PrometheusServer prometheus, String ns) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("deploy/monitoring/dashboard.json").toFile());
        List<String> empty = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            boolean any = false;
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$namespace", ns).replace("$cluster", "prom");
                any |= !prometheus.query(expr).isEmpty();
            }
            if (!any) {
                empty.add(panel.path("title").asText());
            }
        }
        return empty;
    }

    private static double value(JsonNode result) {
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private static JsonNode find(JsonNode alerts, String name) {
        return StreamSupport.stream(alerts.spliterator(), false)
                .filter(a -> name.equals(a.path("labels").path("alertname").asText())).findFirst().orElse(null);
    }
}
