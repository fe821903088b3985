package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.provision.ProvisionException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OperatorPush: the operator downloads each release once, verifies it, and keeps it on local disk to
 * stream to machines that cannot reach the release URL themselves.
 */
public final class ReleaseCache {
    /** A verified tarball on local disk. */
    public record CachedRelease(Path file, String sha256) {
    }

    private final Path directory;
    private final HttpClient http;
    private final Map<String, CachedRelease> verified = new ConcurrentHashMap<>();

    public ReleaseCache(Path directory) {
        this.directory = directory;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public synchronized CachedRelease fetch(ReleaseSource release, String arch) throws ProvisionException {
        String url = release.url(arch);
        CachedRelease known = verified.get(url);
        if (known != null && Files.exists(known.file())) {
            return known;
        }
        String expected = release.sha256().orElse(null);
        try {
            if (expected == null) {
                expected = checksumFromSums(release, arch);
            }
            Files.createDirectories(directory);
            Path target = directory.resolve(release.asset(arch));
            Path partial = Files.createTempFile(directory, "download-", ".part");
            String actual;
            try {
                actual = download(url, partial);
                if (!actual.equals(expected)) {
                    throw new ProvisionException(Reason.ChecksumMismatch, "checksum mismatch for " + release.asset(arch)
                            + ": expected " + expected + ", got " + actual);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            CachedRelease cached = new CachedRelease(target, actual);
            verified.put(url, cached);
            return cached;
        } catch (IOException e) {
            throw new ProvisionException(Reason.DownloadFailed, "download of " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisionException(Reason.DownloadFailed, "download of " + url + " interrupted");
        }
    }

    private String checksumFromSums(ReleaseSource release, String arch)
            throws IOException, InterruptedException, ProvisionException {
        HttpResponse<String> sums = http.send(HttpRequest.newBuilder(URI.create(release.sumsUrl()))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (sums.statusCode() != 200) {
            throw new IOException("HTTP " + sums.statusCode() + " for " + release.sumsUrl());
        }
        String asset = release.asset(arch);
        return sums.body().lines()
                .map(line -> line.trim().split("\\s+"))
                .filter(parts -> parts.length == 2 && (parts[1].equals(asset) || parts[1].equals("*" + asset)))
                .map(parts -> parts[0])
                .findFirst()
                .orElseThrow(() -> new ProvisionException(Reason.ChecksumMismatch, "SHA256SUMS lists no " + asset));
    }

    private String download(String url, Path file) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode());
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(response.body(), digest)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
