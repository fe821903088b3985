package dev.etcdvm.operator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Operator-wide settings, read once at start from environment variables.
 *
 * @param watchNamespaces namespaces whose EtcdVmClusters are managed (WATCH_NAMESPACES, comma separated;
 *     empty means all namespaces, which needs cluster-wide RBAC)
 * @param resyncInterval how often a cluster is observed when nothing else happens (RESYNC_SECONDS, 10)
 * @param reconcileThreads clusters reconciled at once (RECONCILE_THREADS, 4)
 * @param healthPort port of the /healthz and /readyz probes (HEALTH_PORT, 8080; 0 turns them off)
 * @param leaderElection whether replicas elect one active leader through a Lease (LEADER_ELECTION, false)
 * @param leaseNamespace namespace of that Lease (POD_NAMESPACE, "default")
 * @param etcdTimeout bound of every etcd call the operator makes (ETCD_TIMEOUT_SECONDS, 5)
 * @param releaseCacheDir where OperatorPush keeps downloaded releases (RELEASE_CACHE_DIR, $TMPDIR/etcd-vm-operator/releases)
 * @param statusRefresh how often fast-moving numbers alone (raft index, db sizes, health latency, probe times) are
 *     written to status (STATUS_REFRESH_SECONDS, 60); any other change is written at once
 */
public record OperatorSettings(
        Set<String> watchNamespaces,
        Duration resyncInterval,
        int reconcileThreads,
        int healthPort,
        boolean leaderElection,
        String leaseNamespace,
        Duration etcdTimeout,
        Path releaseCacheDir,
        Duration statusRefresh) {

    public static final String LEASE_NAME = "etcd-vm-operator-leader";

    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        return new OperatorSettings(
                Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("RESYNC_SECONDS", "10"))),
                Integer.parseInt(env.getOrDefault("RECONCILE_THREADS", "4")),
                Integer.parseInt(env.getOrDefault("HEALTH_PORT", "8080")),
                Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION", "false")),
                env.getOrDefault("POD_NAMESPACE", "default"),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("ETCD_TIMEOUT_SECONDS", "5"))),
                Path.of(env.getOrDefault("RELEASE_CACHE_DIR", defaultCacheDir().toString())),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("STATUS_REFRESH_SECONDS", "60"))));
    }

    /**
     * Settings for tests and the demo: one namespace, quick resync, no probes, no leader election, and status
     * numbers written on every pass (end-to-end tests see passes go by in them).
     */
    public static OperatorSettings local(String namespace, Duration resyncInterval) {
        return new OperatorSettings(Set.of(namespace), resyncInterval, 4, 0, false, namespace, Duration.ofSeconds(5),
                defaultCacheDir(), Duration.ZERO);
    }

    /** These settings serving the probes and /metrics on this port. */
    public OperatorSettings withHealthPort(int port) {
        return new OperatorSettings(watchNamespaces, resyncInterval, reconcileThreads, port, leaderElection,
                leaseNamespace, etcdTimeout, releaseCacheDir, statusRefresh);
    }

    /** These settings with another status refresh interval. */
    public OperatorSettings withStatusRefresh(Duration refresh) {
        return new OperatorSettings(watchNamespaces, resyncInterval, reconcileThreads, healthPort, leaderElection,
                leaseNamespace, etcdTimeout, releaseCacheDir, refresh);
    }

    private static Path defaultCacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "etcd-vm-operator", "releases");
    }
}
