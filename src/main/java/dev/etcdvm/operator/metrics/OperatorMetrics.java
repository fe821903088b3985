package dev.etcdvm.operator.metrics;

import dev.etcdvm.operator.etcd.EtcdCalls;
import dev.etcdvm.operator.reconciler.status.ClusterGauges;
import dev.etcdvm.operator.reconciler.status.ClusterReading;
import dev.etcdvm.operator.ssh.SshActivity;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The operator's metrics, served at /metrics in Prometheus' text format: JOSDK's own (reconciliations, their
 * duration and failures, without per-resource series), per cluster and member (see {@link ClusterMeters}), and the
 * operator's internals (SSH sessions and remote commands, etcd calls). The only package that imports Micrometer.
 * Labels are namespace, cluster, member and a fixed set of operation and outcome names: bounded by what the
 * operator manages.
 */
public final class OperatorMetrics implements SshActivity, EtcdCalls, ClusterGauges {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClusterMeters clusters;

    public OperatorMetrics(Clock clock) {
        this.clusters = new ClusterMeters(registry, clock);
    }

    /** JOSDK's reconciliation metrics, in this registry. */
    public Metrics reconciliations() {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }

    /** SSH sessions: opened since start, and open now. */
    public void watchSessions(LongSupplier opened, LongSupplier open) {
        FunctionCounter.builder("etcdvm.ssh.sessions.opened", opened, LongSupplier::getAsLong)
                .description("SSH sessions opened since the operator started").register(registry);
        Gauge.builder("etcdvm.ssh.sessions.open", open, s -> s.getAsLong())
                .description("SSH sessions open now (at most one per machine)").register(registry);
    }

    @Override
    public void commandRan(String operation, Duration took, String outcome) {
        Timer.builder("etcdvm.remote.commands").description("Remote commands run over SSH, by operation and outcome")
                .tags("operation", operation, "outcome", outcome).register(registry).record(took);
    }

    @Override
    public void called(String operation, String outcome, Duration took) {
        Timer.builder("etcdvm.etcd.calls").description("Calls to etcd, by operation and outcome")
                .tags("operation", operation, "outcome", outcome).register(registry).record(took);
    }

    @Override
    public void record(ClusterReading reading) {
        clusters.record(reading);
    }

    @Override
    public void forget(String namespace, String cluster) {
        clusters.forget(namespace, cluster);
    }

    /** Every series, in Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }
}
