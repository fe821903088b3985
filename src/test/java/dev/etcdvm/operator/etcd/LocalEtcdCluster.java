package dev.etcdvm.operator.etcd;

import dev.etcdvm.operator.pki.CertificatePurpose;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real etcd processes on 127.0.0.1 with TLS on client and peer listeners (client certificates
 * required), each on its own free ports with its own data dir. close() kills every process it started;
 * a JVM shutdown hook does the same if a test run dies first.
 */
final class LocalEtcdCluster implements AutoCloseable {
    private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();
    private static final Set<Integer> USED_PORTS = ConcurrentHashMap.newKeySet();
    private static final long READY_MILLIS = 20_000;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly)));
    }

    /** One member's process settings. */
    record Node(String name, int clientPort, int peerPort) {
        String clientUrl() {
            return "https://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "https://127.0.0.1:" + peerPort;
        }
    }

    private final String version;
    private final Path bin;
    private final Path dir;
    private final TestPki pki;
    private final Path[] etcdctlCert;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, Process> running = new LinkedHashMap<>();

    private LocalEtcdCluster(String version) throws IOException {
        this.version = version;
        this.bin = EtcdReleases.binaries(version);
        this.dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "etcd-it-");
        this.pki = new TestPki(dir);
        this.etcdctlCert = pki.clientFiles();
    }

    /** Starts members m1..mN as a new cluster and waits until each answers a health check. */
    static LocalEtcdCluster start(String version, int size) {
        LocalEtcdCluster cluster;
        try {
            cluster = new LocalEtcdCluster(version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<Node> initial = new ArrayList<>();
            for (int i = 1; i <= size; i++) {
                initial.add(cluster.newNode("m" + i));
            }
            String initialCluster = initialCluster(initial);
            for (Node node : initial) {
                cluster.start(node, initialCluster, "new");
            }
            for (Node node : initial) {
                cluster.awaitHealthy(node.name());
            }
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** One of this version's tools, e.g. "etcdutl". */
    Path tool(String name) {
        return bin.resolve(name);
    }

    String version() {
        return version;
    }

    EtcdTls clientTls() {
        return pki.client();
    }

    TestPki pki() {
        return pki;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    /** Client URLs of every node whose process runs. */
    List<String> endpoints() {
        return nodes.values().stream().filter(n -> running.containsKey(n.name())).map(Node::clientUrl).toList();
    }

    /** Reserves ports and a name for a member that is not started yet. */
    Node newNode(String name) {
        Node node = new Node(name, freePort(), freePort());
        nodes.put(name, node);
        return node;
    }

    /** "m1=https://127.0.0.1:p1,..." for these nodes. */
    static String initialCluster(List<Node> members) {
        return members.stream().map(n -> n.name() + "=" + n.peerUrl()).collect(Collectors.joining(","));
    }

    void start(Node node, String initialCluster, String state) {
        Path[] server = pki.memberFiles(node.name(), CertificatePurpose.SERVER);
        Path[] peer = pki.memberFiles(node.name(), CertificatePurpose.PEER);
        List<String> command = List.of(bin.resolve("etcd").toString(),
                "--name", node.name(),
                "--data-dir", dir.resolve(node.name() + ".etcd").toString(),
                "--listen-client-urls", node.clientUrl(), "--advertise-client-urls", node.clientUrl(),
                "--listen-peer-urls", node.peerUrl(), "--initial-advertise-peer-urls", node.peerUrl(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", state,
                "--initial-cluster-token", "it-" + dir.getFileName(),
                "--client-cert-auth", "--trusted-ca-file", pki.caFile().toString(),
                "--cert-file", server[0].toString(), "--key-file", server[1].toString(),
                "--peer-client-cert-auth", "--peer-trusted-ca-file", pki.caFile().toString(),
                "--peer-cert-file", peer[0].toString(), "--peer-key-file", peer[1].toString(),
                // Fast elections keep the suite quick; loopback latency is far below these.
                "--heartbeat-interval", "50", "--election-timeout", "500",
                "--logger", "zap", "--log-level", "info");
        commands.put(node.name(), command);
        launch(node.name());
    }

    /** Stops a member the hard way (like a crash), keeping its data. */
    void stop(String name) {
        Process p = running.remove(name);
        if (p != null) {
            p.destroyForcibly();
            awaitExit(p);
            ALL.remove(p);
        }
    }

    /** Starts a stopped member again from its data dir. */
    void restart(String name) {
        launch(name);
        awaitHealthy(name);
    }

    void awaitHealthy(String name) {
        Node node = nodes.get(name);
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            Process p = running.get(name);
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException("etcd " + name + " exited:\n" + logTail(name));
            }
            Result r = etcdctlResult(List.of(node.clientUrl()), "endpoint", "health");
            if (r.exitCode() == 0) {
                return;
            }
            last = r.output();
            sleep(100);
        }
        throw new IllegalStateException("etcd " + name + " not healthy: " + last + "\n" + logTail(name));
    }

    /** Runs etcdctl against all running endpoints and returns stdout; fails on a non-zero exit. */
    String etcdctl(String... args) {
        Result r = etcdctlResult(endpoints(), args);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("etcdctl " + String.join(" ", args) + " exited " + r.exitCode() + ": "
                    + r.output());
        }
        return r.output();
    }

    record Result(int exitCode, String output) {
    }

    Result etcdctlResult(List<String> endpoints, String... args) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("etcdctl").toString(),
                "--endpoints", String.join(",", endpoints), "--dial-timeout", "1s", "--command-timeout", "2s",
                "--cacert", pki.caFile().toString(), "--cert", etcdctlCert[0].toString(),
                "--key", etcdctlCert[1].toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("ETCDCTL_API", "3");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String logTail(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: target/ is disposable
        }
    }

    private void launch(String name) {
        try {
            Process p = new ProcessBuilder(commands.get(name))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
                    .start();
            ALL.add(p);
            running.put(name, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitExit(Process p) {
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = s.getLocalPort();
                if (USED_PORTS.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Set<String> names(List<EtcdMember> members) {
        return new HashSet<>(members.stream().map(EtcdMember::name).toList());
    }
}
