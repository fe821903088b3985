package dev.etcdvm.operator.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Proves each control of the real-machine testbed does what the operator's tests rely on. */
class TestbedIT {
    private static Testbed testbed;
    private static Machine vm1;
    private static Machine vm2;
    private static Machine vm3;

    @BeforeAll
    static void bootTestbed() {
        testbed = Testbed.requireOrSkip();
        List<Machine> machines = testbed.machines();
        assertThat(machines).as("these tests need 3 machines").hasSizeGreaterThanOrEqualTo(3);
        vm1 = machines.get(0);
        vm2 = machines.get(1);
        vm3 = machines.get(2);
    }

    @Test
    void rootAndOpsLogInAndOpsHasPasswordlessSudo() {
        assertThat(ok(vm1, "root", "id -u").stdout().trim()).isEqualTo("0");
        assertThat(ok(vm1, "ops", "id -un").stdout().trim()).isEqualTo("ops");
        assertThat(ok(vm1, "ops", "sudo -n true && sudo -n id -u").stdout().trim()).isEqualTo("0");
        assertThat(ok(vm1, "root", "hostname").stdout().trim()).isEqualTo(vm1.name());
    }

    @Test
    void hostKeyVerificationPassesWithExportedKnownHostsAndFailsWithAWrongOne(@TempDir Path tmp) throws IOException {
        ok(vm1, "root", "true");

        // vm2's key claimed for vm1's address: what a man in the middle would present.
        String vm2Key = Files.readAllLines(testbed.knownHostsPath()).stream()
                .filter(line -> line.startsWith(vm2.address() + " "))
                .findFirst().orElseThrow()
                .substring(vm2.address().length() + 1);
        Path wrong = tmp.resolve("known_hosts");
        Files.writeString(wrong, vm1.address() + " " + vm2Key + "\n");

        CommandResult result = testbed.sshExec(vm1, "root", "true", wrong);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
        assertThat(result.stderr()).contains("Host key verification failed");
    }

    @Test
    void crashedMachineStopsAnsweringAndComesBackWithItsDisk() {
        String marker = writeMarker(vm1);
        try {
            testbed.crash(vm1.name());
            CommandResult result = testbed.sshExec(vm1, "root", "true");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(255);
        } finally {
            testbed.start(vm1.name(), false);
        }
        assertThat(ok(vm1, "root", "cat " + marker).stdout().trim()).isEqualTo("kept");
    }

    @Test
    void stoppedThenStartedMachineKeepsItsDisk() {
        String marker = writeMarker(vm2);
        try {
            testbed.stop(vm2.name());
            assertThat(testbed.sshExec(vm2, "root", "true").exitCode()).isEqualTo(255);
        } finally {
            testbed.start(vm2.name(), false);
        }
        assertThat(ok(vm2, "root", "cat " + marker).stdout().trim()).isEqualTo("kept");
    }

    @Test
    void wipedMachineHasAFreshDiskButTheSameHostKey() {
        String marker = writeMarker(vm3);
        testbed.start(vm3.name(), true);

        // Passes StrictHostKeyChecking with the unchanged known_hosts: same host key.
        CommandResult result = testbed.sshExec(vm3, "root", "test -e " + marker);
        assertThat(result.exitCode()).as("marker must be gone: " + result).isEqualTo(1);
        ok(vm3, "ops", "sudo -n true");
    }

    @Test
    void partitionedMachineIsUnreachableFromHostAndPeersUntilHealed() {
        String probeVm2 = tcpProbe(vm2);
        try {
            testbed.partition(vm2.name());
            assertThat(testbed.sshExec(vm2, "root", "true").exitCode()).isEqualTo(255);
            assertThat(testbed.sshExec(vm3, "root", probeVm2).exitCode()).as("peer -> partitioned").isNotZero();
            ok(vm3, "root", tcpProbe(vm1)); // the rest of the network is fine
        } finally {
            testbed.heal(vm2.name());
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(testbed.sshExec(vm2, "root", "true").exitCode()).isZero();
            assertThat(testbed.sshExec(vm3, "root", probeVm2).exitCode()).isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.4.23", "3.5.16"})
    void mirrorServesUpstreamShapedReleasesThatRunOnTheMachines(String version, @TempDir Path tmp) throws Exception {
        String name = "etcd-v" + version + "-linux-amd64";
        String base = testbed.mirrorUrl() + "/v" + version + "/";
        download(base + "SHA256SUMS", tmp.resolve("SHA256SUMS"));
        download(base + name + ".tar.gz", tmp.resolve(name + ".tar.gz"));

        CommandResult check = Testbed.run(List.of("bash", "-c", "cd '" + tmp + "' && sha256sum -c SHA256SUMS"), 60);
        assertThat(check.exitCode()).as(check.toString()).isZero();
        CommandResult listing = Testbed.run(List.of("tar", "tzf", tmp.resolve(name + ".tar.gz").toString()), 60);
        assertThat(listing.stdout().lines()).allMatch(entry -> entry.startsWith(name + "/"))
                .contains(name + "/etcd", name + "/etcdctl");

        String dir = "/tmp/mirror-" + UUID.randomUUID();
        CommandResult run = ok(vm1, "root", String.join(" && ",
                "mkdir -p " + dir, "cd " + dir,
                "curl -fsSO " + base + "SHA256SUMS",
                "curl -fsSO " + base + name + ".tar.gz",
                "sha256sum -c SHA256SUMS",
                "tar -xzf " + name + ".tar.gz",
                name + "/etcd --version",
                name + "/etcdctl version",
                "cd /", "rm -rf " + dir));
        assertThat(run.stdout()).contains("etcd Version: " + version);
    }

    // ------------------------------------------------------------------ helpers

    private static CommandResult ok(Machine machine, String user, String command) {
        CommandResult result = testbed.sshExec(machine, user, command);
        assertThat(result.exitCode()).as(user + "@" + machine.name() + ": " + command + "\n" + result).isZero();
        return result;
    }

    private static String writeMarker(Machine machine) {
        String marker = "/root/marker-" + UUID.randomUUID();
        ok(machine, "root", "echo kept > " + marker + " && sync");
        return marker;
    }

    /** A TCP connect to the target's sshd, run from another machine. */
    private static String tcpProbe(Machine target) {
        return "timeout 3 bash -c '</dev/tcp/" + target.address() + "/22'";
    }

    private static void download(String url, Path to) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        try (InputStream body = response.body()) {
            Files.copy(body, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
