package dev.etcdvm.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.ssh.ExecResult;
import dev.etcdvm.operator.ssh.HostAccessException;
import dev.etcdvm.operator.ssh.KnownHostsTrust;
import dev.etcdvm.operator.ssh.RemoteCommand;
import dev.etcdvm.operator.ssh.RemoteHost;
import dev.etcdvm.operator.ssh.SshConnector;
import dev.etcdvm.operator.ssh.SshEndpoint;
import dev.etcdvm.operator.ssh.SshIdentity;
import dev.etcdvm.operator.testbed.Testbed;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One actor per machine, on a real machine: a changing script waits for another actor's lock (another pass, another
 * operator replica), gives up naming the holder when it is held too long, and stops by itself once its caller is
 * gone; staging directories older passes left behind are swept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachineSafetyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String OTHER = "cluster other-uid, operator 1@old-replica, since 2026-12-05T00:00:00Z";
    private Testbed testbed;
    private Machine machine;
    private SshConnector connector;
    private SshIdentity identity;
    private KnownHostsTrust knownHosts;
    private RemoteHost host;
    /** The process holding the machine's lock as "another actor", if any. */
    private String holder;

    @BeforeAll
    void start() throws Exception {
        testbed = Testbed.requireOrSkip();
        machine = testbed.machine("vm4");
        connector = new SshConnector(Duration.ofSeconds(15), PhaseTimings.NONE);
        identity = SshIdentity.parse(Files.readString(testbed.privateKeyPath()), "test key");
        knownHosts = KnownHostsTrust.parse(Files.readString(testbed.knownHostsPath()));
    }

    /** A session per test: a caller's timeout closes the one it ran in. */
    @BeforeEach
    void login() throws HostAccessException {
        host = open("root");
    }

    private RemoteHost open(String user) throws HostAccessException {
        return connector.open(new SshEndpoint(machine.address(), 22, user), identity, knownHosts, TIMEOUT);
    }

    @AfterEach
    void releaseTheMachine() {
        testbed.sshExec(machine, "root", (holder == null ? "" : "kill " + holder + " 2>/dev/null;")
                + " rm -rf /tmp/etcd-vm-operator.*");
        holder = null;
    }

    @AfterAll
    void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    @Test
    void aSecondActorWaitsForTheFirstThenActsAlone() throws Exception {
        holdTheMachine(4);
        long started = System.nanoTime();
        // The machine carries no cluster marker: once it has the lock, the script refuses (exit 6), having waited.
        ExecResult result = host.exec(restart(TIMEOUT), TIMEOUT);
        long waited = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("second actor waited for the first: %d ms%n", waited);
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(RemoteScript.EXIT_NOT_OWNED);
        assertThat(waited).as("it ran only once the first actor let go").isGreaterThanOrEqualTo(2_000);
        assertThat(testbed.sshExec(machine, "root", "cat " + HostLayout.LOCK_FILE).stdout())
                .startsWith("cluster this-uid, operator ").contains("script pid");
    }

    @Test
    void aSecondActorGivesUpNamingTheHolderWhenItIsHeldTooLong() throws Exception {
        holdTheMachine(300);
        ExecResult result = host.exec(restart(TIMEOUT), TIMEOUT);
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(RemoteScript.EXIT_BUSY);
        assertThat(result.stderr()).contains("busy", "1@old-replica");
    }

    @Test
    void aScriptWhoseCallerIsGoneStopsByItself() throws Exception {
        holdTheMachine(300);
        Duration callerTimeout = Duration.ofSeconds(1);
        assertThatThrownBy(() -> host.exec(restart(callerTimeout), callerTimeout)).isInstanceOf(HostAccessException.class);
        assertThat(scriptsRunning()).as("abandoned, still waiting for the lock").isPositive();
        long abandoned = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).until(() -> scriptsRunning() == 0);
        System.out.printf("abandoned script stopped by itself after %d ms%n", (System.nanoTime() - abandoned) / 1_000_000);
        assertThat(testbed.sshExec(machine, "root", "test -e /root/restarted").exitCode()).as("it did nothing").isNotZero();
    }

    @Test
    void stagingThatEarlierPassesLeftBehindIsSwept() throws Exception {
        ok(testbed.sshExec(machine, "ops", "mkdir /tmp/etcd-vm-operator.killed01"
                + " && touch -d '2 days ago' /tmp/etcd-vm-operator.killed01 && mkdir /tmp/etcd-vm-operator.recent01"));
        ExecResult staged = open("ops").exec(RemoteScript.STAGE.staging(TIMEOUT, List.of("/tmp", "30", "1024")), TIMEOUT);
        assertThat(staged.exitCode()).as(staged.stderr()).isZero();
        String listed = testbed.sshExec(machine, "root", "ls -d /tmp/etcd-vm-operator.*").stdout();
        assertThat(listed).doesNotContain("killed01").contains("recent01", staged.stdout().strip());
    }

    /**
     * Another actor holds the machine's lock for this long, naming itself as a real one would (--no-fork: the lock
     * is held by the process whose pid is kept, so killing it frees the lock).
     */
    private void holdTheMachine(int seconds) {
        Testbed.CommandResult held = testbed.sshExec(machine, "root", "printf '%s\\n' '" + OTHER + "' > "
                + HostLayout.LOCK_FILE + " && { setsid flock --no-fork " + HostLayout.LOCK_FILE + " sleep " + seconds
                + " >/dev/null 2>&1 </dev/null & echo $!; }");
        ok(held);
        holder = held.stdout().strip();
        await().atMost(Duration.ofSeconds(10)).until(() -> testbed.sshExec(machine, "root", "flock -n "
                + HostLayout.LOCK_FILE + " true").exitCode() != 0);
    }

    /** The restart script as this cluster's pass sends it (restarting would leave a mark in /root). */
    private static RemoteCommand restart(Duration timeout) {
        return RemoteScript.RESTART.changing(new MachineActor("this-uid", "2@new-replica", Instant.now()), timeout,
                List.of("/etc/etcd/cluster-uid", "this-uid", "etcd.service", "/root/restarted"));
    }

    /**
     * Processes running a changing script's text (it holds or waits for the lock: exec 9>>); the pattern's [9] keeps
     * the shell running pgrep from matching itself.
     */
    private long scriptsRunning() {
        return Long.parseLong(testbed.sshExec(machine, "root", "pgrep -fc 'exec [9]>>' || true").stdout().strip());
    }

    private static void ok(Testbed.CommandResult result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
