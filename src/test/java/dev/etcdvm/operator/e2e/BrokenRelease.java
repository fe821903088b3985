package dev.etcdvm.operator.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * An etcd release in the upstream tarball layout whose etcd answers {@code --version} (so it installs) but
 * exits at once when run as a server, served with a matching SHA256SUMS from an HTTP server the machines
 * reach: what a corrupted build looks like to the operator.
 */
final class BrokenRelease implements AutoCloseable {
    private static final String ETCD = """
            #!/bin/sh
            if [ "${1:-}" = --version ]; then echo "etcd Version: %s"; echo "Git SHA: broken"; exit 0; fi
            echo "this etcd build is broken on purpose" >&2
            exit 1
            """;

    private final HttpServer server;

    private BrokenRelease(HttpServer server) {
        this.server = server;
    }

    /** @param bindAddress the host's address on the machines' network */
    static BrokenRelease serve(String version, String bindAddress, Path dir) throws IOException, InterruptedException {
        String asset = "etcd-v" + version + "-linux-amd64.tar.gz";
        Path top = Files.createDirectories(dir.resolve("etcd-v" + version + "-linux-amd64"));
        for (String binary : new String[] {"etcd", "etcdctl"}) {
            Path file = top.resolve(binary);
            Files.writeString(file, ETCD.formatted(version));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Process tar = new ProcessBuilder("tar", "-czf", asset, top.getFileName().toString()).directory(dir.toFile())
                .inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("tar failed");
        }
        byte[] tarball = Files.readAllBytes(dir.resolve(asset));
        byte[] sums = (sha256(tarball) + "  " + asset + "\n").getBytes(StandardCharsets.US_ASCII);
        Map<String, byte[]> files = Map.of("/v" + version + "/" + asset, tarball, "/v" + version + "/SHA256SUMS", sums);
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return new BrokenRelease(server);
    }

    String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
