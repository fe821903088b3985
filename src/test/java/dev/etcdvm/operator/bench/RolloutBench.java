package dev.etcdvm.operator.bench;

import dev.etcdvm.operator.Collaborators;
import dev.etcdvm.operator.EtcdVmOperator;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.etcd.EtcdTls;
import dev.etcdvm.operator.etcd.NumberedWriter;
import dev.etcdvm.operator.support.ApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * `make bench`, second part: on a Ready 3-member cluster with a client writing every 50 ms through the
 * consumer Secret, the time a rolling upgrade 3.4.23 -> 3.5.16 and then a CA rotation take (edit ->
 * Running again) and the longest time writes were refused during each; median of 3 runs on freshly wiped
 * machines.
 */
public final class RolloutBench {
    private static final int RUNS = 3;

    private record Figure(Duration took, Duration longestRefusal, long lost) {
    }

    private RolloutBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String[]> machines = BenchTestbed.machines();
        List<Figure> upgrades = new ArrayList<>();
        List<Figure> rotations = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            BenchTestbed.wipe(machines);
            try (ApiServer api = ApiServer.start("rollout-bench-" + run)) {
                BenchTestbed.writeSshSecret(api);
                OperatorSettings settings = OperatorSettings.local(api.namespace(), Duration.ofSeconds(15));
                Collaborators collaborators = EtcdVmOperator.productionCollaborators(api.client(), settings,
                        new RecordingTimings());
                try (EtcdVmOperator operator = new EtcdVmOperator(api.client(), settings, collaborators)) {
                    EtcdVmCluster cluster = BenchTestbed.cluster("rollout", api, machines, "3.4.23");
                    api.client().resource(cluster).create();
                    await(api, c -> "Running".equals(String.valueOf(c.getStatus() == null ? null : c.getStatus().getPhase())));
                    upgrades.add(measured(api, c -> c.getSpec().setVersion("3.5.16"),
                            c -> "3.5.0".equals(c.getStatus().getClusterVersion())));
                    String oldCa = ca(api);
                    rotations.add(measured(api, c -> c.getMetadata().setAnnotations(
                            Map.of(EtcdVmCluster.ROTATE_CA_ANNOTATION, "bench")),
                            c -> c.getStatus().getCertificates() != null
                                    && "None".equals(c.getStatus().getCertificates().getRotation())
                                    && caCount(api) == 1 && !ca(api).equals(oldCa)));
                }
            }
            System.out.printf("run %d: upgrade %.2f s (longest refusal %d ms), CA rotation %.2f s (longest refusal %d ms)%n",
                    run, BenchTestbed.secs(upgrades.get(run - 1).took()), upgrades.get(run - 1).longestRefusal().toMillis(),
                    BenchTestbed.secs(rotations.get(run - 1).took()), rotations.get(run - 1).longestRefusal().toMillis());
        }
        System.out.println();
        report("rolling upgrade 3.4.23 -> 3.5.16", upgrades);
        report("CA rotation (3 phases)", rotations);
        System.exit(0);
    }

    private static void report(String what, List<Figure> figures) {
        List<Duration> took = figures.stream().map(Figure::took).sorted().toList();
        List<Duration> refused = figures.stream().map(Figure::longestRefusal).sorted().toList();
        System.out.printf("%s, 3 members, median of %d runs: %.2f s, longest write refusal %d ms (median), lost"
                + " acknowledged writes %s%n", what, RUNS, BenchTestbed.secs(took.get(took.size() / 2)),
                refused.get(refused.size() / 2).toMillis(), figures.stream().map(Figure::lost).toList());
    }

    /** Edit -> done, with a client writing every 50 ms through the consumer Secret throughout. */
    private static Figure measured(ApiServer api, Consumer<EtcdVmCluster> edit,
            Predicate<EtcdVmCluster> done) throws Exception {
        try (NumberedWriter writer = NumberedWriter.start(() -> credentials(api),
                () -> List.of(value(consumer(api), "endpoints").split(",")), "/bench/" + System.nanoTime() + "/",
                Duration.ofMillis(50))) {
            long start = System.nanoTime();
            api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName("rollout").edit(c -> {
                edit.accept(c);
                return c;
            });
            await(api, c -> c.getStatus() != null && "Running".equals(String.valueOf(c.getStatus().getPhase()))
                    && done.test(c));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            writer.stop();
            return new Figure(took, writer.longestRefusal(), writer.missingAcknowledged().size());
        }
    }

    private static void await(ApiServer api, Predicate<EtcdVmCluster> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            EtcdVmCluster c = api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName("rollout").get();
            if (c != null && condition.test(c)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not done within 5 minutes");
    }

    private static EtcdTls credentials(ApiServer api) {
        Secret secret = consumer(api);
        return new EtcdTls(value(secret, "ca.crt"), value(secret, "tls.crt"), value(secret, "tls.key"));
    }

    private static String ca(ApiServer api) {
        return value(consumer(api), "ca.crt");
    }

    private static long caCount(ApiServer api) {
        return ca(api).lines().filter(l -> l.startsWith("-----BEGIN CERTIFICATE")).count();
    }

    private static Secret consumer(ApiServer api) {
        return api.client().secrets().inNamespace(api.namespace()).withName("rollout-client").get();
    }

    private static String value(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
