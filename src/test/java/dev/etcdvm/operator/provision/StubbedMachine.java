package dev.etcdvm.operator.provision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A directory standing in for a machine, where a remote script runs under the host's sh with a stubbed PATH: every
 * command that changes something (systemctl, mv, rm, install, chown, mkdir, the etcd tools, ...) is a stub that
 * only records its arguments, so a test sees exactly what a script would have done, and that a refusal did nothing.
 */
final class StubbedMachine {
    /** Commands that act; each records "name args..." in the calls file. */
    static final List<String> STUBBED = List.of("systemctl", "mv", "rm", "install", "chown", "mkdir", "etcdctl",
            "etcdutl", "useradd", "sync", "date");

    record Run(int exitCode, String stdout, String stderr) {
    }

    /** How long a script run here waits for the machine's lock. */
    static final int LOCK_WAIT_SECONDS = 1;

    private final Path root;
    private final Path calls;
    private final String clusterUid;

    /** @param clusterUid the cluster the scripts run here act for (lib/claim.sh checks the marker against it) */
    StubbedMachine(Path root, String clusterUid) {
        this.root = root;
        this.clusterUid = clusterUid;
        this.calls = root.resolve("calls");
        try {
            Path bin = Files.createDirectories(root.resolve("bin"));
            for (String command : STUBBED) {
                Path stub = bin.resolve(command);
                // systemctl is-active: the unit is stopped (3), as after a successful stop.
                Files.writeString(stub, """
                        #!/bin/sh
                        echo "$(basename "$0") $*" >> "%s"
                        if [ "$(basename "$0")" = systemctl ] && [ "$1" = is-active ]; then exit 3; fi
                        if [ "$(basename "$0")" = date ]; then echo 1700000000; fi
                        exit 0
                        """.formatted(calls));
                Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The machine's lock (lib/lock.sh) as the scripts run here take it. */
    Path lockFile() {
        return root.resolve("machine.lock");
    }

    Path path(String relative) {
        return root.resolve(relative);
    }

    /** Writes a file of the machine, e.g. the cluster marker. */
    Path write(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tool(String name) {
        return root.resolve("bin").resolve(name).toString();
    }

    Run run(RemoteScript script, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script.text(), "sh"));
        if (script.changes()) {
            command.addAll(List.of(lockFile().toString(), "a test", Integer.toString(LOCK_WAIT_SECONDS),
                    path("etc/etcd/cluster-uid").toString(), clusterUid));
        }
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
            builder.environment().put("PATH", root.resolve("bin") + ":/usr/bin:/bin");
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish");
            }
            return new Run(process.exitValue(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the stubs were asked to do, in order. */
    List<String> calls() {
        try {
            return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
