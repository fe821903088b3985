package dev.etcdvm.operator;

import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.reconciler.EtcdVmClusterReconciler;
import dev.etcdvm.operator.reconciler.KubernetesSecretReader;
import dev.etcdvm.operator.reconciler.KubernetesHostKeyPins;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.SshClusterObserver;
import dev.etcdvm.operator.ssh.SshConnector;
import dev.etcdvm.operator.reconciler.status.KubernetesEventRecorder;
import dev.etcdvm.operator.reconciler.status.StatusRecorder;
import dev.etcdvm.operator.reconciler.validation.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: wires the operator by hand (no framework magic) and serves the probes. */
public final class EtcdVmOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdVmOperator.class);
    private static final Duration SSH_KEEPALIVE = Duration.ofSeconds(15);
    /** Host I/O is network-bound: enough threads to probe the largest cluster (9) of a few clusters at once. */
    private static final int HOST_THREADS = 32;

    private final Operator operator;
    private final ProbeServer probes;

    private final AutoCloseable resources;

    /**
     * @param observer reads the machines (tests may pass a recording one)
     * @param resources closed after the operator stops (the SSH client, thread pools)
     */
    public EtcdVmOperator(KubernetesClient client, OperatorSettings settings, ClusterObserver observer,
            AutoCloseable resources) throws IOException {
        this.resources = resources;
        Clock clock = Clock.systemUTC();
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
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
                new SpecValidator(new KubernetesSecretReader(client)),
                observer,
                new StatusRecorder(new KubernetesEventRecorder(client, clock)),
                settings.resyncInterval(), clock);
        operator.register(reconciler, c -> {
            if (!settings.watchNamespaces().isEmpty()) {
                c.settingNamespaces(settings.watchNamespaces());
            }
        });
        operator.start();
        probes = settings.healthPort() > 0
                ? new ProbeServer(settings.healthPort(), () -> operator.getRuntimeInfo().isStarted(),
                        () -> operator.getRuntimeInfo().allEventSourcesAreHealthy())
                : null;
        LOG.info("etcd-vm-operator started, watching {}",
                settings.watchNamespaces().isEmpty() ? "all namespaces" : settings.watchNamespaces());
    }

    public static void main(String[] args) throws IOException {
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
        EtcdVmOperator running = withSsh(client, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            client.close();
        }, "shutdown"));
    }

    /** The production wiring: one SSH client and one probe pool for all clusters. */
    public static EtcdVmOperator withSsh(KubernetesClient client, OperatorSettings settings) throws IOException {
        SshConnector ssh = new SshConnector(SSH_KEEPALIVE);
        ExecutorService hostPool = Executors.newFixedThreadPool(HOST_THREADS, daemonThreads("host-io"));
        ClusterObserver observer = new SshClusterObserver(ssh, new KubernetesSecretReader(client),
                cluster -> new KubernetesHostKeyPins(client, cluster), hostPool);
        return new EtcdVmOperator(client, settings, observer, () -> {
            hostPool.shutdownNow();
            ssh.close();
        });
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
