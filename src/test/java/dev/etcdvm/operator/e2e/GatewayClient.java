package dev.etcdvm.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * etcd's v3 JSON API (its gRPC gateway) through {@code curl}, with nothing but the consumer Secret's files, as a
 * shell script or a program without a gRPC library talks to etcd. Each call tries the Secret's endpoints in turn
 * until one answers, as such clients do.
 */
final class GatewayClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One call's outcome: the answer, or what each endpoint said. */
    record Answer(JsonNode body, List<String> refusals) {
        boolean ok() {
            return body != null;
        }
    }

    private final ConsumerFiles files;
    private final Supplier<List<String>> endpoints;

    GatewayClient(ConsumerFiles files) {
        this(files, files::endpoints);
    }

    private GatewayClient(ConsumerFiles files, Supplier<List<String>> endpoints) {
        this.files = files;
        this.endpoints = endpoints;
    }

    /** The same client, talking to one endpoint only. */
    GatewayClient at(String endpoint) {
        return new GatewayClient(files, () -> List.of(endpoint));
    }

    List<String> endpoints() {
        return endpoints.get();
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(JsonNode b64) {
        return new String(Base64.getDecoder().decode(b64.asText()), StandardCharsets.UTF_8);
    }

    Answer put(String key, String value) {
        return call("/v3/kv/put", object().put("key", b64(key)).put("value", b64(value)));
    }

    Answer putWithLease(String key, String value, String leaseId) {
        return call("/v3/kv/put", object().put("key", b64(key)).put("value", b64(value)).put("lease", leaseId));
    }

    Answer range(String key) {
        return call("/v3/kv/range", object().put("key", b64(key)));
    }

    /** Sets {@code key} to {@code value} only while its version is {@code version}; else reads it. */
    Answer compareAndSet(String key, long version, String value) {
        ObjectNode txn = object();
        txn.putArray("compare").addObject().put("key", b64(key)).put("target", "VERSION").put("result", "EQUAL")
                .put("version", version);
        txn.putArray("success").addObject().putObject("request_put").put("key", b64(key)).put("value", b64(value));
        txn.putArray("failure").addObject().putObject("request_range").put("key", b64(key));
        return call("/v3/kv/txn", txn);
    }

    Answer grantLease(long ttlSeconds) {
        return call("/v3/lease/grant", object().put("TTL", ttlSeconds));
    }

    Answer keepAlive(String leaseId) {
        return call("/v3/lease/keepalive", object().put("ID", leaseId));
    }

    /** The body of a watch stream on every key under {@code prefix} from {@code revision} on. */
    static String watchRequest(String prefix, long revision) {
        ObjectNode create = object();
        create.putObject("create_request").put("key", b64(prefix)).put("range_end", b64(prefixEnd(prefix)))
                .put("start_revision", revision);
        return create.toString();
    }

    /** curl arguments for a long-lived POST to one endpoint, its output streamed as it arrives. */
    List<String> streamCommand(String endpoint, String path, String body) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-N", "--connect-timeout", "2"));
        command.addAll(credentials(endpoint + path, body));
        return command;
    }

    private Answer call(String path, ObjectNode body) {
        List<String> refusals = new ArrayList<>();
        for (String endpoint : endpoints.get()) {
            String outcome;
            try {
                Process process = new ProcessBuilder(curl(endpoint + path, body.toString())).redirectErrorStream(true)
                        .start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                String text = new String(out, StandardCharsets.UTF_8).trim();
                if (process.exitValue() == 0) {
                    JsonNode answer = JSON.readTree(text);
                    if (answer.has("header") || answer.has("result")) {
                        return new Answer(answer, refusals);
                    }
                }
                outcome = endpoint + ": " + (text.isEmpty() ? "curl exit " + process.exitValue() : text);
            } catch (IOException e) {
                outcome = endpoint + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            refusals.add(outcome);
        }
        return new Answer(null, refusals);
    }

    private List<String> curl(String url, String body) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", "3",
                "--connect-timeout", "2"));
        command.addAll(credentials(url, body));
        return command;
    }

    private List<String> credentials(String url, String body) {
        return List.of("--cacert", files.path("ca.crt").toString(), "--cert", files.path("tls.crt").toString(),
                "--key", files.path("tls.key").toString(), "-X", "POST", "-H", "Content-Type: application/json",
                "-d", body, url);
    }

    private static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static String prefixEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return new String(end, StandardCharsets.UTF_8);
    }
}
