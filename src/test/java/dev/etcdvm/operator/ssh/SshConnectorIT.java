package dev.etcdvm.operator.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdvm.operator.testbed.Testbed;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSH layer against a real OpenSSH server on a testbed machine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshConnectorIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private Testbed testbed;
    private Machine machine;
    private SshConnector connector;
    private SshIdentity identity;
    private KnownHostsTrust knownHosts;

    @BeforeAll
    void start() throws Exception {
        testbed = Testbed.requireOrSkip();
        machine = testbed.machine("vm2");
        connector = new SshConnector(Duration.ofSeconds(15), PhaseTimings.NONE);
        identity = SshIdentity.parse(Files.readString(testbed.privateKeyPath()), "test key");
        knownHosts = KnownHostsTrust.parse(Files.readString(testbed.knownHostsPath()));
    }

    @AfterAll
    void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    private RemoteHost open(String user) throws HostAccessException {
        return connector.open(new SshEndpoint(machine.address(), 22, user), identity, knownHosts, TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"it's", "a;b", "$(touch /tmp/pwned)", "`id`", "x\ny", "*", "'; rm -rf / #", "$HOME"})
    void hostileArgumentsReachTheRemoteSideAsLiteralDataForRootAndThroughSudo(String hostile) throws Exception {
        for (String user : new String[] {"root", "ops"}) {
            ExecResult result = open(user).exec(RemoteCommand.privileged("printf", "%s", hostile), TIMEOUT);
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEqualTo(hostile);
        }
        assertThat(open("root").exec(RemoteCommand.unprivileged("test", "-e", "/tmp/pwned"), TIMEOUT).exitCode())
                .as("no command substitution ran").isNotZero();
    }

    @Test
    void aSessionIsReusedWhileAlive() throws Exception {
        RemoteHost first = open("root");
        long opened = connector.sessionsOpened();
        RemoteHost second = open("root");
        assertThat(second).isSameAs(first);
        assertThat(connector.sessionsOpened()).isEqualTo(opened);
        assertThat(first.hostKeyFingerprint()).startsWith("SHA256:");
    }

    @Test
    void uploadsArriveIntactAndPrivateToTheLoginUser() throws Exception {
        RemoteHost host = open("ops");
        String dir = host.exec(RemoteCommand.unprivileged("mktemp", "-d"), TIMEOUT).stdout().trim();
        byte[] content = "line one\nkey: ' \" $x\n".getBytes(StandardCharsets.UTF_8);
        host.upload(dir + "/f", new ByteArrayInputStream(content), TIMEOUT);
        ExecResult read = host.exec(RemoteCommand.unprivileged("cat", dir + "/f"), TIMEOUT);
        assertThat(read.stdout()).isEqualTo(new String(content, StandardCharsets.UTF_8));
        assertThat(host.exec(RemoteCommand.unprivileged("stat", "-c", "%U %a", dir), TIMEOUT).stdout().trim())
                .isEqualTo("ops 700");
        host.exec(RemoteCommand.unprivileged("rm", "-rf", dir), TIMEOUT);
    }

    @Test
    void aWrongHostKeyIsRefusedNamingBothFingerprints() throws Exception {
        String vm1Line = Files.readAllLines(testbed.knownHostsPath()).stream()
                .filter(l -> l.startsWith(testbed.machine("vm1").address() + " ")).findFirst().orElseThrow();
        KnownHostsTrust wrong = KnownHostsTrust.parse(vm1Line.replaceFirst("^\\S+", machine.address()));
        assertThatThrownBy(() -> connector.open(new SshEndpoint(machine.address(), 22, "root"), identity, wrong, TIMEOUT))
                .isInstanceOfSatisfying(HostAccessException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HostAccessException.Kind.HostKeyRejected);
                    assertThat(e.getMessage()).contains("expected SHA256:", "presented SHA256:");
                });
        assertThatThrownBy(() -> connector.open(new SshEndpoint(machine.address(), 22, "root"), identity,
                KnownHostsTrust.parse(""), TIMEOUT))
                .isInstanceOfSatisfying(HostAccessException.class,
                        e -> assertThat(e.getMessage()).contains("known_hosts has no entry"));
    }

    @Test
    void trustOnFirstUsePinsTheFirstKeyAndRefusesAnotherOne() throws Exception {
        Map<String, String> store = new ConcurrentHashMap<>();
        HostKeyPins pins = new HostKeyPins() {
            @Override
            public Optional<String> pinned(String hostAndPort) {
                return Optional.ofNullable(store.get(hostAndPort));
            }

            @Override
            public void pin(String hostAndPort, String publicKeyLine) {
                store.put(hostAndPort, publicKeyLine);
            }
        };
        TrustOnFirstUse tofu = new TrustOnFirstUse(KnownHostsTrust.parse(""), pins);
        SshConnector fresh = new SshConnector(Duration.ofSeconds(15), PhaseTimings.NONE);
        try (fresh) {
            fresh.open(new SshEndpoint(machine.address(), 22, "root"), identity, tofu, TIMEOUT);
            assertThat(store).containsKey(machine.address() + ":22");
        }
        // Another machine's key pinned for this address: exactly what a swapped host looks like.
        String vm1Key = Files.readAllLines(testbed.knownHostsPath()).stream()
                .filter(l -> l.startsWith(testbed.machine("vm1").address() + " ")).findFirst().orElseThrow()
                .split(" ", 2)[1];
        store.put(machine.address() + ":22", vm1Key);
        try (SshConnector again = new SshConnector(Duration.ofSeconds(15), PhaseTimings.NONE)) {
            assertThatThrownBy(() -> again.open(new SshEndpoint(machine.address(), 22, "root"), identity, tofu, TIMEOUT))
                    .isInstanceOfSatisfying(HostAccessException.class,
                            e -> assertThat(e.kind()).isEqualTo(HostAccessException.Kind.HostKeyRejected));
        }
    }

    @Test
    void aUserWithoutSudoRightsGetsAClearErrorNotAHang() throws Exception {
        open("root").exec(RemoteCommand.unprivileged("sh", "-c", "id -u nosudo >/dev/null 2>&1 || "
                + "(useradd -m nosudo && install -d -m 700 -o nosudo ~nosudo/.ssh"
                + " && install -m 600 -o nosudo /root/.ssh/authorized_keys ~nosudo/.ssh/authorized_keys)"), TIMEOUT);
        RemoteHost host = open("nosudo");
        assertThatThrownBy(() -> host.exec(RemoteCommand.privileged("true"), TIMEOUT))
                .isInstanceOfSatisfying(HostAccessException.class,
                        e -> assertThat(e.kind()).isEqualTo(HostAccessException.Kind.SudoDenied));
    }
}
