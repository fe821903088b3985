package dev.etcdvm.operator;

import dev.etcdvm.operator.metrics.OperatorMetrics;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.etcd.EtcdClusters;
import dev.etcdvm.operator.provision.HostProvisioner;
import dev.etcdvm.operator.provision.ReleaseCache;
import dev.etcdvm.operator.reconciler.EtcdVmClusterReconciler;
import dev.etcdvm.operator.objectstore.ObjectStore;
import dev.etcdvm.operator.objectstore.S3ObjectStore;
import dev.etcdvm.operator.objectstore.StoreLocation;
import dev.etcdvm.operator.reconciler.backup.StoreBackups;
import dev.etcdvm.operator.reconciler.etcdapi.EtcdConnections;
import dev.etcdvm.operator.reconciler.etcdapi.EtcdMaintenanceActions;
import dev.etcdvm.operator.reconciler.etcdapi.EtcdMembershipActions;
import dev.etcdvm.operator.reconciler.etcdapi.JetcdObserver;
import dev.etcdvm.operator.reconciler.events.KubernetesEventRecorder;
import dev.etcdvm.operator.reconciler.kube.KubernetesHostKeyPins;
import dev.etcdvm.operator.reconciler.kube.OwnedSecrets;
import dev.etcdvm.operator.reconciler.machines.HostAccess;
import dev.etcdvm.operator.reconciler.machines.SshClusterObserver;
import dev.etcdvm.operator.reconciler.machines.SshHostActions;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.status.StatusRecorder;
import dev.etcdvm.operator.reconciler.tls.ClusterCertificates;
import dev.etcdvm.operator.reconciler.validation.SpecValidator;
import dev.etcdvm.operator.ssh.SshConnector;
import dev.etcdvm.operator.timing.PhaseTimings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: wires the operator by hand (no framework magic) and serves the probes. */
public final class EtcdVmOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdVmOperator.class);
    /** With three missed replies allowed, a session to a dead machine is closed within about 20 s. */
    private static final Duration SSH_KEEPALIVE = Duration.ofSeconds(5);
    private static final int API_RETRIES = 2;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Downloading and unpacking a release over a slow link takes a while. */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private final Operator operator;
    private final ProbeServer probes;

    private final AutoCloseable resources;

    public EtcdVmOperator(KubernetesClient client, OperatorSettings settings, Collaborators collaborators)
            throws IOException {
        this.resources = collaborators.resources();
        Clock clock = collaborators.clock();
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(collaborators.metrics().reconciliations())
                    // Merge-patch status: works on every API server, including the in-process test server,
                    // which does not implement server-side apply of /status.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withConcurrentReconciliationThreads(settings.reconcileThreads())
                    .withCloseClientOnStop(false);
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(
                        new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, settings.leaseNamespace()));
            }
        });
        var reconciler = new EtcdVmClusterReconciler(
                new SpecValidator(),
                new ClusterCertificates(clock, collaborators.timings()),
                new OwnedSecrets(client),
                collaborators.access(),
                collaborators.observer(),
                collaborators.actions(),
                collaborators.membership(),
                collaborators.maintenance(),
                collaborators.backups(),
                new StatusRecorder(new KubernetesEventRecorder(client, clock), settings.statusRefresh()),
                collaborators.metrics(), collaborators.failpoints(),
                settings.resyncInterval(), clock);
        operator.register(reconciler, c -> {
            // JOSDK gives up retrying after a few failures and would then wait hours: never look less often than this.
            c.withReconciliationMaxInterval(settings.resyncInterval());
            if (!settings.watchNamespaces().isEmpty()) {
                c.settingNamespaces(settings.watchNamespaces());
            }
        });
        operator.start();
        probes = settings.healthPort() > 0
                ? new ProbeServer(settings.healthPort(), () -> operator.getRuntimeInfo().isStarted(),
                        () -> operator.getRuntimeInfo().allEventSourcesAreHealthy(), collaborators.metrics()::scrape)
                : null;
        LOG.info("etcd-vm-operator started, watching {}",
                settings.watchNamespaces().isEmpty() ? "all namespaces" : settings.watchNamespaces());
    }

    /**
     * A client builder on the JDK's HTTP client, named rather than found: two implementations are on the classpath
     * (JOSDK brings the JDK's, the Fabric8 client Vert.x's, which the in-process test server also needs), and Fabric8
     * would pick one of them at random at every start.
     */
    public static KubernetesClientBuilder clientBuilder() {
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory());
    }

    /**
     * The operator's API client settings. Few, quick retries of a failed request: a pass that cannot reach
     * the API server ends at once (in status, when it can) and is rescheduled within the resync, instead of
     * sleeping through the client's own backoff (up to about a minute) after the server is back.
     */
    public static Config clientConfig(Config base) {
        Config config = new ConfigBuilder(base).build();
        config.setRequestRetryBackoffLimit(API_RETRIES);
        return config;
    }

    public static void main(String[] args) throws IOException {
        KubernetesClient client = clientBuilder().withConfig(clientConfig(Config.autoConfigure(null))).build();
        OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
        EtcdVmOperator running = withSsh(client, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            client.close();
        }, "shutdown"));
    }

    /** The production wiring: one SSH client, one etcd client cache and one I/O pool for all clusters. */
    public static EtcdVmOperator withSsh(KubernetesClient client, OperatorSettings settings) throws IOException {
        return new EtcdVmOperator(client, settings, productionCollaborators(client, settings));
    }

    public static Collaborators productionCollaborators(KubernetesClient client, OperatorSettings settings) {
        return productionCollaborators(client, settings, PhaseTimings.NONE);
    }

    public static Collaborators productionCollaborators(KubernetesClient client, OperatorSettings settings,
            PhaseTimings timings) {
        return productionCollaborators(client, settings, timings, S3ObjectStore::new);
    }

    /** @param stores opens the object store a cluster's backups go to (tests wrap it to inject faults) */
    public static Collaborators productionCollaborators(KubernetesClient client, OperatorSettings settings,
            PhaseTimings timings, Function<StoreLocation, ObjectStore> stores) {
        OperatorMetrics metrics = new OperatorMetrics(Clock.systemUTC());
        SshConnector ssh = new SshConnector(SSH_KEEPALIVE, timings, metrics);
        metrics.watchSessions(ssh::sessionsOpened, ssh::sessionsOpen);
        // Unbounded but idle-reaped: host and etcd calls block on the network, and observation tasks wait
        // on their own sub-tasks, which a fixed pool could starve under several concurrent clusters.
        ExecutorService hostPool = Executors.newCachedThreadPool(daemonThreads("host-io"));
        OwnedSecrets secrets = new OwnedSecrets(client);
        HostAccess access = new HostAccess(ssh, cluster -> new KubernetesHostKeyPins(secrets, cluster));
        EtcdConnections connections = new EtcdConnections(new EtcdClusters(settings.etcdTimeout(), metrics));
        JetcdObserver etcd = new JetcdObserver(connections, hostPool);
        ClusterObserver observer = new SshClusterObserver(etcd, hostPool, timings);
        HostProvisioner provisioner = new HostProvisioner(new ReleaseCache(settings.releaseCacheDir()),
                COMMAND_TIMEOUT, INSTALL_TIMEOUT, timings);
        return new Collaborators(access, observer, new SshHostActions(provisioner, hostPool),
                new EtcdMembershipActions(connections), new EtcdMaintenanceActions(connections),
                new StoreBackups(connections, secrets, stores),
                ssh::sessionsOpened, timings, Failpoints.NONE, () -> {
            hostPool.shutdownNow();
            etcd.close();
            ssh.close();
        }, Clock.systemUTC(), metrics);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        if (probes != null) {
            probes.close();
        }
        operator.stop();
        try {
            resources.close();
        } catch (Exception e) {
            LOG.warn("closing operator resources failed: {}", e.toString());
        }
    }
}
