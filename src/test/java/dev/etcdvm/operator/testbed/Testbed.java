package dev.etcdvm.operator.testbed;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Test handle on the real-machine testbed driven by {@code src/testbed/testbed.sh}: systemd-nspawn
 * machines reachable over SSH plus an HTTP mirror of etcd release tarballs.
 *
 * <p>Tests call {@link #requireOrSkip()}: it boots the testbed once per JVM (N = system property
 * {@code testbed.machines}, default 5) and tears it down when the JVM exits (unless
 * {@code -Dtestbed.keep=true}). Where the testbed cannot run (not Linux, not root, a tool missing)
 * the test is skipped with a loud warning, except under {@code CI=true}, where it fails.
 */
public final class Testbed {

    /** One machine of the testbed, as listed in the state dir's {@code machines} file. */
    public record Machine(String name, String address) {}

    /** Exit code and output of a local or remote command. */
    public record CommandResult(int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static final long UP_TIMEOUT_SECONDS = 20 * 60; // a cold cache builds a root filesystem
    private static final long COMMAND_TIMEOUT_SECONDS = 3 * 60;
    private static final long SSH_TIMEOUT_SECONDS = 5 * 60;

    private static Testbed shared;
    private static String unavailableReason;
    private static boolean probed;

    private final Path repo;
    private final Path script;
    private final Path stateDir;

    private Testbed(Path repo) {
        this.repo = repo;
        this.script = repo.resolve("src/testbed/testbed.sh");
        String dir = System.getenv("TESTBED_DIR");
        this.stateDir = dir != null && !dir.isBlank() ? Path.of(dir) : repo.resolve("target/testbed");
    }

    // ------------------------------------------------------------------ availability

    /** True when this machine can run the testbed (Linux, root, every tool installed). */
    public static boolean available() {
        return unavailableReason() == null;
    }

    /** Why the testbed cannot run here, or null when it can. */
    public static synchronized String unavailableReason() {
        if (!probed) {
            unavailableReason = probe();
            probed = true;
        }
        return unavailableReason;
    }

    private static String probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "not Linux (" + System.getProperty("os.name") + ")";
        }
        Path repo = findRepo();
        if (repo == null) {
            return "src/testbed/testbed.sh not found above " + Path.of("").toAbsolutePath();
        }
        try {
            CommandResult check = run(List.of("bash", repo.resolve("src/testbed/testbed.sh").toString(), "check"), 60);
            return check.succeeded() ? null : (check.stdout() + check.stderr()).strip();
        } catch (RuntimeException e) {
            return "testbed.sh check could not run: " + e.getMessage();
        }
    }

    static boolean ciMode() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns the shared, booted testbed. When it cannot run here: under {@code CI=true} throws (the
     * test fails); otherwise prints a banner to stderr and aborts the test as skipped.
     */
    public static Testbed requireOrSkip() {
        String reason = unavailableReason();
        if (reason != null) {
            String message = "real-machine testbed unavailable: " + reason;
            if (ciMode()) {
                throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
            }
            System.err.println(banner(message));
            Assumptions.abort(message);
        }
        return shared();
    }

    private static String banner(String message) {
        String bar = "!".repeat(100);
        return "\n" + bar + "\n!!! SKIPPING REAL-MACHINE TESTS\n!!! " + message
                + "\n!!! run as root on Linux with: src/testbed/testbed.sh deps\n" + bar + "\n";
    }

    /** Boots the testbed once per JVM. Fails (does not skip) when the boot itself fails. */
    public static synchronized Testbed shared() {
        if (shared == null) {
            String reason = unavailableReason();
            if (reason != null) {
                throw new IllegalStateException("real-machine testbed unavailable: " + reason);
            }
            Testbed testbed = new Testbed(findRepo());
            int machines = Integer.getInteger("testbed.machines", 5);
            // Before up: a half-finished boot is cleaned at exit too (its logs stay in the state dir).
            if (!Boolean.getBoolean("testbed.keep")) {
                Runtime.getRuntime().addShutdownHook(new Thread(testbed::downQuietly, "testbed-down"));
            }
            testbed.script(UP_TIMEOUT_SECONDS, "up", Integer.toString(machines));
            shared = testbed;
        }
        return shared;
    }

    private static Path findRepo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("src/testbed/testbed.sh"))) {
                return dir;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ facts

    public List<Machine> machines() {
        List<Machine> result = new ArrayList<>();
        for (String line : readLines(stateDir.resolve("machines"))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                result.add(new Machine(parts[0], parts[1]));
            }
        }
        return result;
    }

    public Machine machine(String name) {
        return machines().stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no testbed machine " + name));
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path privateKeyPath() {
        return stateDir.resolve("id_ed25519");
    }

    public Path knownHostsPath() {
        return stateDir.resolve("known_hosts");
    }

    /** Base URL of the etcd release mirror, e.g. {@code http://10.250.0.1:8089}. */
    public String mirrorUrl() {
        return String.join("", readLines(stateDir.resolve("mirror-url"))).trim();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("testbed fact missing (is it up?): " + file, e);
        }
    }

    // ------------------------------------------------------------------ faults

    /** Power loss: every process of the machine is SIGKILLed; its disk is kept. */
    public void crash(String name) {
        script(COMMAND_TIMEOUT_SECONDS, "crash", name);
    }

    /** Clean shutdown; the disk is kept. */
    public void stop(String name) {
        script(COMMAND_TIMEOUT_SECONDS, "stop", name);
    }

    /** Boots the machine and waits for SSH. With wipe, on a fresh disk but the same host key. */
    public void start(String name, boolean wipe) {
        if (wipe) {
            script(COMMAND_TIMEOUT_SECONDS, "start", name, "--wipe");
        } else {
            script(COMMAND_TIMEOUT_SECONDS, "start", name);
        }
    }

    /** Cuts the machine off the network (from the host and from its peers). */
    public void partition(String name) {
        script(COMMAND_TIMEOUT_SECONDS, "partition", name);
    }

    public void heal(String name) {
        script(COMMAND_TIMEOUT_SECONDS, "heal", name);
    }

    /** A network split: frames between a machine of {@code one} and a machine of {@code other} are dropped. */
    public void split(List<String> one, List<String> other) {
        script(COMMAND_TIMEOUT_SECONDS, "split", String.join(" ", one), String.join(" ", other));
    }

    public void unsplit() {
        script(COMMAND_TIMEOUT_SECONDS, "unsplit");
    }

    /** The host (where the operator runs in tests) loses the machine; the machine still reaches its peers. */
    public void cutoff(String name) {
        script(COMMAND_TIMEOUT_SECONDS, "cutoff", name);
    }

    public void reconnect(String name) {
        script(COMMAND_TIMEOUT_SECONDS, "reconnect", name);
    }

    /** Gives the machine a second address on its interface, as a second NIC or a DNS alias would. */
    public void alias(String name, String address) {
        script(COMMAND_TIMEOUT_SECONDS, "alias", name, address);
    }

    public void unalias(String name, String address) {
        script(COMMAND_TIMEOUT_SECONDS, "unalias", name, address);
    }

    public void down() {
        script(COMMAND_TIMEOUT_SECONDS, "down");
    }

    // ------------------------------------------------------------------ object store

    /**
     * The S3 API server on the bridge (S3Proxy, filesystem backend) and its one bucket.
     *
     * @param data where the filesystem backend keeps the buckets, one directory each
     */
    public record Store(String endpoint, String bucket, String accessKeyId, String secretAccessKey, Path data) {
        @Override
        public String toString() {
            return endpoint + "/" + bucket;
        }
    }

    /** Starts the store if it is not running (its data is kept across stops) and says where it is. */
    public Store store() {
        script(COMMAND_TIMEOUT_SECONDS, "store", "up");
        String[] url = String.join("", readLines(stateDir.resolve("store-url"))).trim().split("\\s+");
        String[] credentials = String.join("", readLines(stateDir.resolve("store/credentials"))).trim().split("\\s+");
        return new Store(url[0], url[1], credentials[0], credentials[1], stateDir.resolve("store/data"));
    }

    /** The store goes away (SIGKILL, mid-request if one is under way); {@link #store()} brings it back. */
    public void stopStore() {
        script(COMMAND_TIMEOUT_SECONDS, "store", "stop");
    }

    private void downQuietly() {
        try {
            down();
        } catch (RuntimeException e) {
            System.err.println("testbed down failed: " + e.getMessage());
        }
    }

    private CommandResult script(long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        CommandResult result = run(command, timeoutSeconds);
        System.err.print(result.stderr());
        if (!result.succeeded()) {
            throw new IllegalStateException("testbed.sh " + String.join(" ", args) + " failed: " + result);
        }
        return result;
    }

    // ------------------------------------------------------------------ ssh

    /** Runs a command on the machine with the system OpenSSH client, verifying its host key. */
    public CommandResult sshExec(Machine machine, String user, String command) {
        return sshExec(machine, user, command, knownHostsPath());
    }

    /** As {@link #sshExec(Machine, String, String)} but verifying against the given known_hosts. */
    public CommandResult sshExec(Machine machine, String user, String command, Path knownHosts) {
        return run(List.of("ssh",
                "-i", privateKeyPath().toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=5",
                "-o", "LogLevel=ERROR",
                user + "@" + machine.address(),
                command), SSH_TIMEOUT_SECONDS);
    }

    // ------------------------------------------------------------------ processes

    static CommandResult run(List<String> command, long timeoutSeconds) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeoutSeconds + "s: " + String.join(" ", command));
            }
            return new CommandResult(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** A thread of its own per stream: the common pool may have a single worker on 2 cores. */
    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.complete("");
            }
        }, "testbed-drain");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    @Override
    public String toString() {
        return "Testbed[" + repo + ", state " + stateDir + "]";
    }
}
