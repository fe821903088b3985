package dev.etcdvm.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every script that changes a machine takes the machine's lock first: while another actor holds it, the script waits,
 * then gives up with exit 7 naming the holder, having done nothing; once free, it acts and names itself as holder.
 */
class MachineLockTest {
    private static final String UID = "0b6f2d7e-uid";

    @TempDir
    Path dir;

    @Test
    void aScriptWaitsForAnotherActorThenGivesUpHavingDoneNothing() throws Exception {
        StubbedMachine machine = new StubbedMachine(dir, UID);
        machine.write("etc/etcd/cluster-uid", UID);
        String marker = machine.path("etc/etcd/cluster-uid").toString();
        Files.writeString(machine.lockFile(), "cluster other-uid, operator 1@old-replica, since 2026-12-01T00:00:00Z\n");
        Process holder = new ProcessBuilder("flock", "--no-fork", machine.lockFile().toString(), "sleep", "30").start();
        try {
            awaitHeld(machine.lockFile());
            StubbedMachine.Run busy = machine.run(RemoteScript.RESTART, marker, UID, "etcd.service",
                    machine.path("planned").toString());
            assertThat(busy.exitCode()).as(busy.stderr()).isEqualTo(RemoteScript.EXIT_BUSY);
            assertThat(busy.stderr()).contains("busy", "1@old-replica");
            assertThat(machine.calls()).as("nothing done while another actor held the machine").isEmpty();
        } finally {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS); // --no-fork: the holder is the sleep itself, so this frees the lock
        }
        StubbedMachine.Run done = machine.run(RemoteScript.RESTART, marker, UID, "etcd.service",
                machine.path("planned").toString());
        assertThat(done.exitCode()).as(done.stderr()).isZero();
        assertThat(machine.calls()).contains("systemctl restart --no-block etcd.service");
        assertThat(Files.readString(machine.lockFile())).startsWith("a test, script pid ");
    }

    @Test
    void aMachineReassignedToAnotherClusterIsNeverWrittenTo() {
        StubbedMachine machine = new StubbedMachine(dir, UID);
        String staged = machine.write("staged/0", "new config").toString();
        String target = machine.path("etc/etcd/etcd.env").toString();
        machine.write("etc/etcd/cluster-uid", "uid-of-another-cluster\n");
        StubbedMachine.Run refused = machine.run(RemoteScript.INSTALL_FILES, staged, target, "0644", "root", "root");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(RemoteScript.EXIT_NOT_OWNED);
        assertThat(refused.stderr()).contains("another EtcdVmCluster");
        assertThat(machine.calls()).as("nothing written").isEmpty();

        machine.write("etc/etcd/cluster-uid", UID + "\n");
        assertThat(machine.run(RemoteScript.INSTALL_FILES, staged, target, "0644", "root", "root").exitCode()).isZero();
        assertThat(machine.calls()).contains("mv -f -T " + target + ".tmp " + target);
    }

    @Test
    void aFreshMachineWithoutAMarkerIsFreeToClaim() {
        StubbedMachine machine = new StubbedMachine(dir, UID);
        StubbedMachine.Run layout = machine.run(RemoteScript.LAYOUT, "root", machine.path("data").toString(),
                machine.path("bin").toString(), machine.path("conf").toString(), machine.path("pki").toString());
        assertThat(layout.exitCode()).as(layout.stderr()).isZero();
        assertThat(machine.calls()).anyMatch(c -> c.startsWith("install -d -m 0700"));
    }

    @Test
    void everyChangingScriptTakesTheLockBeforeAnythingElse() {
        for (RemoteScript script : RemoteScript.values()) {
            String source = RemoteScript.source(script.file());
            List<String> includes = source.lines().filter(l -> l.startsWith("#@include")).toList();
            if (script.changes()) {
                assertThat(includes).as(script.file()).startsWith("#@include lib/lock.sh", "#@include lib/claim.sh");
            } else {
                assertThat(includes).as(script.file()).doesNotContain("#@include lib/lock.sh");
            }
        }
    }

    @Test
    void everyScriptRunsUnderADeadlineJustPastItsCallers() {
        var command = RemoteScript.RESTART.changing(new MachineActor(UID, "1@host", java.time.Instant.EPOCH),
                Duration.ofSeconds(30), List.of("a"));
        assertThat(command.argv()).startsWith("timeout", "-k", "5", "35", "sh", "-c");
        assertThat(command.argv().subList(command.argv().size() - 6, command.argv().size()))
                .containsExactly("/run/etcdvm-operator.lock", "cluster " + UID + ", operator 1@host, since "
                        + java.time.Instant.EPOCH, Integer.toString(RemoteScript.LOCK_WAIT_SECONDS),
                        "/etc/etcd/cluster-uid", UID, "a");
    }

    /** Held once another process's attempt to take it fails at once. */
    private static void awaitHeld(Path lock) {
        await().atMost(Duration.ofSeconds(10)).until(() -> new ProcessBuilder("flock", "-n", lock.toString(), "true")
                .start().waitFor() != 0);
    }
}
