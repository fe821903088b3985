package dev.etcdvm.operator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Two Patroni nodes (Debian's patroni, PostgreSQL 15) on this host keeping their cluster state in etcd through
 * the v3 JSON gateway, with the consumer Secret's files only: a real high-availability manager that elects its
 * PostgreSQL primary through an etcd lease. Run as the postgres account, which the files are given to.
 */
final class PatroniPair implements AutoCloseable {
    static final String PATRONI = "/usr/bin/patroni";
    private static final String BIN_DIR = "/usr/lib/postgresql/15/bin";
    /** Ports on loopback only: REST API and PostgreSQL per node. */
    private static final Map<String, int[]> PORTS = new TreeMap<>(Map.of("node1", new int[] {18011, 15441},
            "node2", new int[] {18012, 15442}));

    private final Path dir;
    private final ConsumerFiles files;
    private final String scope;
    private final Map<String, Process> running = new TreeMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** @param files the consumer Secret's files, readable by the postgres account */
    PatroniPair(Path dir, ConsumerFiles files, String scope) {
        this.dir = dir;
        this.files = files;
        this.scope = scope;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of(PATRONI)) && Files.isExecutable(Path.of(BIN_DIR, "initdb"));
    }

    void start(String node) {
        try {
            Path config = dir.resolve(node + ".yml");
            Files.writeString(config, config(node));
            // setpriv execs patroni itself (no parent to pass signals on), so a stop reaches Patroni as a plain SIGTERM.
            ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=postgres", "--regid=postgres",
                    "--init-groups", PATRONI, config.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(node + ".log").toFile());
            builder.environment().put("HOME", dir.toString());
            Process process = builder.start();
            running.put(node, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clean stop: Patroni stops PostgreSQL and gives up the leader key, so the other node can take it. */
    void stop(String node) {
        Process process = running.remove(node);
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The node that says it holds the leader lock (Patroni's {@code GET /leader} answers 200), if any. */
    Optional<String> leader() {
        for (Map.Entry<String, int[]> node : PORTS.entrySet()) {
            if (!running.containsKey(node.getKey())) {
                continue;
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.getValue()[0] + "/leader")).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return Optional.of(node.getKey());
                }
            } catch (IOException e) {
                // not answering yet, or stopped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The last lines a node logged, for a failure message. */
    String logTail(String node) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(node + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }

    private String config(String node) {
        int[] ports = PORTS.get(node);
        String hosts = String.join(",", files.endpoints().stream().map(e -> e.replace("https://", "")).toList());
        return """
                scope: %s
                name: %s
                restapi:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                etcd3:
                  hosts: %s
                  protocol: https
                  cacert: %s
                  cert: %s
                  key: %s
                bootstrap:
                  dcs:
                    ttl: 20
                    loop_wait: 2
                    retry_timeout: 8
                  initdb:
                  - encoding: UTF8
                postgresql:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  data_dir: %s
                  bin_dir: %s
                  pgpass: %s
                  authentication:
                    superuser: {username: postgres, password: matrix}
                    replication: {username: replicator, password: matrix}
                  pg_hba:
                  - local all all trust
                  - host all all 127.0.0.1/32 trust
                  - host replication replicator 127.0.0.1/32 trust
                """.formatted(scope, node, ports[0], ports[0], hosts, files.path("ca.crt"), files.path("tls.crt"),
                files.path("tls.key"), ports[1], ports[1], dir.resolve(node), BIN_DIR, dir.resolve(node + ".pgpass"));
    }
}
