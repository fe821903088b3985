package dev.etcdvm.operator.e2e;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A watch stream on etcd's JSON gateway ({@code POST /v3/watch}, curl -N) over every key under a prefix, kept
 * open across members restarting: when a stream ends it is opened again on the next endpoint from the revision
 * after the last event seen, as a client that must not miss an event does.
 */
final class GatewayWatch implements AutoCloseable {
    private final GatewayClient gateway;
    private final String prefix;
    private final ClientLog log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Process stream;
    private long nextRevision;

    GatewayWatch(GatewayClient gateway, String prefix, long fromRevision, ClientLog log) {
        this.gateway = gateway;
        this.prefix = prefix;
        this.log = log;
        this.nextRevision = fromRevision;
        this.thread = new Thread(this::run, "gateway-watch " + prefix);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Keys an event was received for. */
    Set<String> seen() {
        return Set.copyOf(seen);
    }

    private void run() {
        int endpoint = 0;
        while (!closed) {
            List<String> endpoints = gateway.endpoints();
            String url = endpoints.get(Math.floorMod(endpoint++, endpoints.size()));
            try {
                Process process = new ProcessBuilder(gateway.streamCommand(url, "/v3/watch",
                        GatewayClient.watchRequest(prefix, nextRevision))).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                stream = process;
                read(process.getInputStream());
                process.waitFor(5, TimeUnit.SECONDS);
                if (!closed) {
                    log.failed(url + ": stream ended (curl exit " + (process.isAlive() ? "-" : process.exitValue()) + ")");
                }
            } catch (IOException e) {
                if (!closed) {
                    log.failed(url + ": " + e.getMessage());
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(InputStream in) throws IOException {
        try (MappingIterator<JsonNode> messages = GatewayClient.JSON.readerFor(JsonNode.class)
                .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readValues(GatewayClient.JSON.getFactory().createParser(in)
                        .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE))) {
            while (messages.hasNextValue()) {
                JsonNode message = messages.nextValue();
                JsonNode result = message.path("result");
                if (message.has("error") || result.path("canceled").asBoolean(false)) {
                    log.failed("watch ended by etcd: " + message);
                    return;
                }
                for (JsonNode event : result.path("events")) {
                    JsonNode kv = event.path("kv");
                    seen.add(GatewayClient.text(kv.path("key")));
                    nextRevision = Math.max(nextRevision, kv.path("mod_revision").asLong() + 1);
                }
                if (result.path("events").size() > 0 || result.path("created").asBoolean(false)) {
                    log.ok();
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                log.failed("unreadable watch stream: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Process process = stream;
        if (process != null) {
            process.destroyForcibly();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
