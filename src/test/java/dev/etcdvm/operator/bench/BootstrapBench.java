package dev.etcdvm.operator.bench;

import dev.etcdvm.operator.Collaborators;
import dev.etcdvm.operator.EtcdVmOperator;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.support.ApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * `make bench`: apply -> Ready for a 3-member cluster on the testbed, median of 5 runs, with where the
 * time goes and how many SSH sessions were opened; and the same steps done by hand in parallel
 * (src/testbed/manual-bootstrap.sh) as the baseline. Each run starts from freshly wiped machines.
 */
public final class BootstrapBench {
    private static final String VERSION = "3.5.16";
    private static final int RUNS = 5;
    private static final List<String> PHASES = List.of("certs", "connect", "preflight", "install", "files", "start");

    private record Run(Duration total, Duration firstHealthy, RecordingTimings timings, long sessions) {
    }

    private BootstrapBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String[]> machines = BenchTestbed.machines();
        List<Duration> manual = new ArrayList<>();
        List<Run> operator = new ArrayList<>();
        for (int i = 1; i <= RUNS; i++) {
            BenchTestbed.wipe(machines);
            manual.add(manualRun(machines));
            BenchTestbed.wipe(machines);
            operator.add(operatorRun(machines, i));
            System.out.printf("run %d: by hand %.2f s, operator %.2f s%n", i, secs(manual.get(i - 1)),
                    secs(operator.get(i - 1).total()));
        }
        report(manual, operator);
        System.exit(0);
    }

    private static Duration manualRun(List<String[]> machines) throws Exception {
        List<String> command = new ArrayList<>(List.of("src/testbed/manual-bootstrap.sh", VERSION));
        machines.forEach(m -> command.add(m[1]));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("manual bootstrap failed");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Run operatorRun(List<String[]> machines, int run) throws Exception {
        RecordingTimings timings = new RecordingTimings();
        try (ApiServer api = ApiServer.start("bench-" + run)) {
            BenchTestbed.writeSshSecret(api);
            OperatorSettings settings = OperatorSettings.local(api.namespace(), Duration.ofSeconds(15));
            Collaborators collaborators = EtcdVmOperator.productionCollaborators(api.client(), settings, timings);
            try (EtcdVmOperator operator = new EtcdVmOperator(api.client(), settings, collaborators)) {
                EtcdVmCluster cluster = BenchTestbed.cluster("bench", api, machines, VERSION);
                long start = System.nanoTime();
                api.client().resource(cluster).create();
                Duration firstHealthy = null;
                while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(5)) {
                    EtcdVmCluster current = api.client().resource(cluster).get();
                    var status = current.getStatus();
                    if (status != null && firstHealthy == null
                            && status.getMembers().stream().anyMatch(m -> Boolean.TRUE.equals(m.getHealthy()))) {
                        firstHealthy = Duration.ofNanos(System.nanoTime() - start);
                    }
                    if (status != null && status.getConditions().stream()
                            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
                        return new Run(Duration.ofNanos(System.nanoTime() - start), firstHealthy, timings,
                                collaborators.sshSessionsOpened().getAsLong());
                    }
                    Thread.sleep(50);
                }
                throw new IllegalStateException("not Ready within 5 minutes");
            }
        }
    }

    private static void report(List<Duration> manual, List<Run> operator) {
        Duration byHand = median(manual);
        Duration total = median(operator.stream().map(Run::total).toList());
        System.out.println();
        System.out.printf("apply -> Ready, 3 members, etcd %s, median of %d runs%n", VERSION, RUNS);
        System.out.printf("  operator        %6.2f s   (runs: %s)%n", secs(total), list(operator.stream().map(Run::total).toList()));
        System.out.printf("  by hand (ssh)   %6.2f s   (runs: %s)%n", secs(byHand), list(manual));
        System.out.printf("  ratio           %6.2f x   (target: at most 1.2 x)%n", secs(total) / secs(byHand));
        System.out.println();
        System.out.println("where the operator's time goes (median over runs of the slowest machine per phase):");
        for (String phase : PHASES) {
            System.out.printf("  %-12s %6.3f s   (%d recorded in run 1)%n", phase,
                    secs(median(operator.stream().map(r -> r.timings().slowest(phase)).toList())),
                    operator.get(0).timings().count(phase));
        }
        System.out.printf("  %-12s %6.3f s   (apply -> first member healthy)%n", "first healthy",
                secs(median(operator.stream().map(Run::firstHealthy).toList())));
        System.out.printf("SSH sessions opened per run: %s (3 machines)%n",
                operator.stream().map(r -> String.valueOf(r.sessions())).toList());
    }

    private static Duration median(List<Duration> values) {
        List<Duration> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double secs(Duration d) {
        return BenchTestbed.secs(d);
    }

    private static String list(List<Duration> values) {
        return String.join(", ", values.stream().map(d -> String.format("%.2f", secs(d))).toList());
    }
}
