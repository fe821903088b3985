package dev.etcdvm.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server (Debian's package) scraping the operator and a cluster's members every second with the
 * rules of deploy/monitoring, asked through its HTTP API. In CI a missing binary fails the test.
 */
final class PrometheusServer implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param operator host:port of the operator's /metrics
     * @param members host:port of each member's metrics listener
     * @param cluster the members' "cluster" label, namespace/name
     */
    static PrometheusServer start(Path dir, String operator, List<String> members, String cluster) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            String message = BINARY + " not found (apt-get install prometheus)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
            }
            System.err.println("\n!!! SKIPPING the Prometheus test: " + message + "\n");
            Assumptions.abort(message);
        }
        Files.copy(Path.of("deploy/monitoring/rules.yaml"), dir.resolve("rules.yaml"));
        String config = """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 900ms
                  evaluation_interval: 1s
                rule_files: [rules.yaml]
                scrape_configs:
                  - job_name: etcd-vm-operator
                    static_configs: [{targets: ['%s']}]
                  - job_name: etcd-vm-members
                    static_configs:
                      - targets: [%s]
                        labels: {cluster: '%s'}
                """.formatted(operator, members.stream().map(m -> "'" + m + "'").collect(Collectors.joining(", ")),
                cluster);
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = freePort();
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        return new PrometheusServer(process, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The result vector of an instant query; empty when nothing matches (or the server is not up yet). */
    JsonNode query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
    }

    /** Active alerts, each with labels and state (pending or firing). */
    JsonNode alerts() {
        return get("/api/v1/alerts").path("data").path("alerts");
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return JSON.createObjectNode(); // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
