package dev.etcdvm.operator.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Real etcd binaries for tests, from the testbed's release mirror cache (upstream-style tarballs).
 * A missing cache is built with {@code src/testbed/testbed.sh mirror}; each tarball is extracted once
 * into target/etcd-releases/.
 */
final class EtcdReleases {
    static final List<String> VERSIONS = List.of("3.4.23", "3.5.16");

    private static final Path CACHE = Path.of(System.getenv().getOrDefault("TESTBED_CACHE",
            System.getProperty("user.home") + "/.cache/etcd-vm-operator"), "mirror-v2");
    private static final Path EXTRACTED = Path.of("target", "etcd-releases");

    private EtcdReleases() {
    }

    /** The directory holding {@code etcd} and {@code etcdctl} of this version. */
    static synchronized Path binaries(String version) {
        String name = "etcd-v" + version + "-linux-amd64";
        Path dir = EXTRACTED.resolve(name).toAbsolutePath();
        if (Files.isExecutable(dir.resolve("etcd")) && Files.isExecutable(dir.resolve("etcdctl"))) {
            return dir;
        }
        Path tarball = CACHE.resolve("v" + version).resolve(name + ".tar.gz");
        if (!Files.isRegularFile(tarball)) {
            buildMirror();
        }
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("etcd mirror has no " + tarball);
        }
        try {
            Files.createDirectories(EXTRACTED);
            run(List.of("tar", "-xzf", tarball.toString(), "-C", EXTRACTED.toString()), 120);
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + tarball, e);
        }
        return dir;
    }

    private static void buildMirror() {
        Path script = Path.of("src", "testbed", "testbed.sh");
        if (!Files.isExecutable(script)) {
            throw new TestAbortedException("no etcd mirror cache at " + CACHE + " and no " + script + " to build it");
        }
        try {
            run(List.of("bash", script.toString(), "mirror"), 900);
        } catch (IllegalStateException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e;
            }
            // Outside CI, say why loudly and skip rather than fail (e.g. not root, no network).
            throw new TestAbortedException("cannot build the etcd mirror: " + e.getMessage(), e);
        }
    }

    private static void run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
