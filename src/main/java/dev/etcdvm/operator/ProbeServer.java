package dev.etcdvm.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Serves the Deployment's liveness (/healthz) and readiness (/readyz) probes, and the metrics (/metrics). */
final class ProbeServer implements AutoCloseable {
    private final HttpServer server;

    ProbeServer(int port, BooleanSupplier alive, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", exchange -> answer(exchange, alive.getAsBoolean()));
        server.createContext("/readyz", exchange -> answer(exchange, ready.getAsBoolean()));
        server.createContext("/metrics", exchange -> {
            byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private static void answer(HttpExchange exchange, boolean ok) throws IOException {
        byte[] body = (ok ? "ok\n" : "not ready\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
