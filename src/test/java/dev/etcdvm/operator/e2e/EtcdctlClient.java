package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host's own etcdctl (Debian's etcd-client), pointed at a cluster with the files of its consumer
 * Secret: an independent client checking what the operator built.
 */
final class EtcdctlClient {
    private final Path dir;
    private final String endpoints;

    EtcdctlClient(Secret consumer, Path dir) {
        this.dir = dir;
        try {
            for (String key : List.of("ca.crt", "tls.crt", "tls.key")) {
                Files.write(dir.resolve(key), Base64.getDecoder().decode(consumer.getData().get(key)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.endpoints = new String(Base64.getDecoder().decode(consumer.getData().get("endpoints")), StandardCharsets.UTF_8);
    }

    CommandResult run(String... args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints,
                "--cacert=" + dir.resolve("ca.crt"), "--cert=" + dir.resolve("tls.crt"), "--key=" + dir.resolve("tls.key"),
                "--command-timeout=10s"));
        command.addAll(List.of(args));
        return exec(command);
    }

    /**
     * A client on one side of a network split: run inside a machine's network namespace, talking to one endpoint
     * only, with short timeouts (a side without a leader refuses, it does not hang).
     */
    CommandResult runFrom(String netns, String endpoint, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns, "etcdctl", "--endpoints=" + endpoint,
                "--cacert=" + dir.resolve("ca.crt"), "--cert=" + dir.resolve("tls.crt"), "--key=" + dir.resolve("tls.key"),
                "--dial-timeout=3s", "--command-timeout=5s"));
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Same endpoints, same CA, but no client certificate. */
    CommandResult runWithoutClientCertificate(String... args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints,
                "--cacert=" + dir.resolve("ca.crt"), "--dial-timeout=3s", "--command-timeout=5s"));
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Plain HTTP to the client port. */
    CommandResult runPlaintext(String... args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints.replace("https://", "http://"),
                "--dial-timeout=3s", "--command-timeout=5s"));
        command.addAll(List.of(args));
        return exec(command);
    }

    /** A command reading its input from the file (a put's value too large for a command line, a txn). */
    CommandResult runWithInput(Path input, String... args) {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints,
                "--cacert=" + dir.resolve("ca.crt"), "--cert=" + dir.resolve("tls.crt"), "--key=" + dir.resolve("tls.key"),
                "--command-timeout=10s"));
        command.addAll(List.of(args));
        return exec(command, input);
    }

    String endpoints() {
        return endpoints;
    }

    private static CommandResult exec(List<String> command) {
        return exec(command, null);
    }

    private static CommandResult exec(List<String> command, Path stdin) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            builder.environment().put("ETCDCTL_API", "3");
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("etcdctl finished").isTrue();
            return new CommandResult(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
