package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.support.Specs;
import dev.etcdvm.operator.testbed.Testbed;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong host key, wrong SSH key, bad checksum and an unreachable machine each end in a precise
 * condition with nothing started on the machine; once fixed, the same resource becomes Ready.
 */
class FaultsIT extends EndToEndTest {
    private static final String SECRET = "faults";

    private Machine machine;

    @BeforeAll
    void freshMachine() {
        testbed.start("vm5", true);
        machine = testbed.machine("vm5");
    }

    @AfterAll
    void reconnect() {
        if (testbed != null && machine != null) {
            testbed.heal(machine.name());
        }
    }

    @Test
    void eachFaultIsNamedPreciselyTouchesNothingAndRecoversOnceFixed(@TempDir Path dir) throws Exception {
        String key = fixture.readTestbed("id_ed25519");
        String knownHosts = fixture.readTestbed("known_hosts");
        String vm1Key = knownHosts.lines().filter(l -> l.startsWith("10.250.0.11 ")).findFirst().orElseThrow()
                .substring("10.250.0.11 ".length());

        // 1. The machine presents a key other than the one known_hosts lists for it.
        fixture.writeSshSecret(SECRET, key, machine.address() + " " + vm1Key + "\n");
        EtcdVmCluster cluster = fixture.cluster("faulty", "3.5.16", List.of(machine));
        cluster.getSpec().getSsh().setPrivateKeySecretRef(new SecretKeyRef(SECRET, Specs.PRIVATE_KEY));
        cluster.getSpec().getSsh().setKnownHostsSecretRef(new SecretKeyRef(SECRET, Specs.KNOWN_HOSTS));
        cluster.getSpec().getSsh().setConnectTimeoutSeconds(3);
        fixture.api().client().resource(cluster).create();
        Condition hostKey = awaitCondition("HostsReachable", "False", "HostKeyMismatch");
        assertThat(hostKey.getMessage()).contains("expected SHA256:", "presented SHA256:");
        assertThat(fixture.resource("faulty").get().getStatus().getMembers().get(0).getMessage()).contains("host key mismatch");
        assertNothingInstalled();

        // 2. The right host key, but a private key the machine does not accept.
        fixture.writeSshSecret(SECRET, strangerKey(dir), knownHosts);
        awaitCondition("HostsReachable", "False", "SshAuthenticationFailed");
        assertNothingInstalled();

        // 3. A reachable machine, but the release does not match the pinned checksum.
        fixture.writeSshSecret(SECRET, key, knownHosts);
        fixture.edit("faulty", c -> {
            c.getSpec().getBinary().setSha256("0".repeat(64));
            return c;
        });
        Condition checksum = awaitCondition("Ready", "False", "ChecksumMismatch");
        assertThat(checksum.getMessage()).contains("checksum mismatch", "expected " + "0".repeat(64));
        assertNothingInstalled();

        // 4. The checksum fixed, but the machine is cut off the network.
        testbed.partition(machine.name());
        fixture.edit("faulty", c -> {
            c.getSpec().getBinary().setSha256(null);
            return c;
        });
        // A pass caught mid-command by the partition waits out the 60 s command timeout before it can say so.
        await().atMost(Duration.ofSeconds(100)).untilAsserted(() -> assertThat(condition(fixture.resource("faulty").get(),
                "HostsReachable")).hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).as(c.getMessage()).isIn("HostUnreachable", "SshTimeout");
                }));

        // 5. Healed: the same resource converges to a Ready cluster.
        testbed.heal(machine.name());
        awaitCondition("Ready", "True", "AllMembersHealthy");
        assertThat(testbed.sshExec(machine, "root", "systemctl is-active etcd").stdout().trim()).isEqualTo("active");
    }

    private Condition awaitCondition(String type, String status, String reason) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> condition(fixture.resource("faulty").get(), type).orElse(null),
                        c -> c != null && status.equals(c.getStatus()) && reason.equals(c.getReason()));
    }

    private void assertNothingInstalled() {
        Testbed.CommandResult r = testbed.sshExec(machine, "root",
                "test ! -e /usr/local/bin/etcd && test ! -e /etc/systemd/system/etcd.service && ! systemctl is-active --quiet etcd");
        assertThat(r.exitCode()).as("nothing installed or started on %s: %s", machine.name(), r).isZero();
    }

    private static String strangerKey(Path dir) throws Exception {
        Path file = dir.resolve("stranger");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return Files.readString(file);
    }
}
