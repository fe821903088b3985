package dev.etcdvm.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every destructive script, run under sh with a stubbed PATH: when the marker, the member id or a path check fails
 * it exits with its refusal code and has asked nothing to act (no stop, move, removal, restore), nor written a file;
 * with the checks met (the control) the same harness sees it act, so a refusal test cannot pass by accident.
 */
class DestructiveScriptRefusalTest {
    private static final String UID = "0b6f2d7e-uid-of-this-cluster";
    private static final String OTHER_UID = "9c1e-uid-of-another-cluster";
    private static final String UNIT = "etcd.service";

    @TempDir
    Path dir;
    private StubbedMachine machine;
    private String marker;
    private String memberId;
    private String data;

    @BeforeEach
    void machine() {
        machine = new StubbedMachine(dir, UID);
        marker = machine.path("etc/etcd/cluster-uid").toString();
        memberId = machine.path("etc/etcd/member-id").toString();
        data = machine.path("var/lib/etcd").toString();
    }

    @Test
    void restartRefusesAMachineWithoutThisClustersMarker() {
        String planned = machine.path("planned-restart").toString();
        assertRefused(machine.run(RemoteScript.RESTART, marker, UID, UNIT, planned), "no cluster marker");
        assertThat(machine.path("planned-restart")).doesNotExist();
        machine.write("etc/etcd/cluster-uid", OTHER_UID + "\n");
        assertRefused(machine.run(RemoteScript.RESTART, marker, UID, UNIT, planned), "another EtcdVmCluster");
        assertThat(machine.path("planned-restart")).doesNotExist();

        machine.write("etc/etcd/cluster-uid", UID + "\n");
        assertThat(machine.run(RemoteScript.RESTART, marker, UID, UNIT, planned).exitCode()).isZero();
        assertThat(machine.calls()).contains("systemctl restart --no-block " + UNIT);
    }

    @Test
    void archivingRefusesAnotherClustersMachineUnknownDataAndACurrentMember() {
        machine.write("var/lib/etcd/member/snap/db", "data");
        machine.write("etc/etcd/cluster-uid", OTHER_UID);
        machine.write("etc/etcd/member-id", "aaa1");
        assertRefused(machine.run(RemoteScript.ARCHIVE_DATA, marker, UID, memberId, UNIT, data, "etcd", "bbb2"),
                "another EtcdVmCluster");
        machine.write("etc/etcd/cluster-uid", UID);
        assertRefused(machine.run(RemoteScript.ARCHIVE_DATA, marker, UID, memberId, UNIT, data, "etcd", "aaa1"),
                "holds current member aaa1");
        machine.write("etc/etcd/member-id", "");
        assertRefused(machine.run(RemoteScript.ARCHIVE_DATA, marker, UID, memberId, UNIT, data, "etcd", "bbb2"),
                "no recorded member id");

        machine.write("etc/etcd/member-id", "aaa1");
        assertThat(machine.run(RemoteScript.ARCHIVE_DATA, marker, UID, memberId, UNIT, data, "etcd", "bbb2")
                .exitCode()).isZero();
        assertThat(machine.calls()).contains("systemctl stop " + UNIT)
                .anySatisfy(call -> assertThat(call).startsWith("mv -T " + data + " " + data + ".archived-"));
    }

    @Test
    void retiringRefusesAnotherClustersMachineAnotherMemberAndACurrentOne() {
        String record = machine.write("etc/etcd/install-record", "data " + data + "\nbin /usr/local/bin\n").toString();
        String unitFile = machine.path("etc/systemd/system/etcd.service").toString();
        String conf = machine.path("etc/etcd").toString();
        machine.write("etc/etcd/member-id", "aaa1");
        assertRefused(machine.run(RemoteScript.RETIRE, marker, UID, memberId, "aaa1", UNIT, unitFile, conf, record, "yes"),
                "no cluster marker");
        machine.write("etc/etcd/cluster-uid", UID);
        assertRefused(machine.run(RemoteScript.RETIRE, marker, UID, memberId, "ccc3", UNIT, unitFile, conf, record, "yes"),
                "holds member aaa1, not ccc3");
        assertRefused(machine.run(RemoteScript.RETIRE, marker, UID, memberId, "aaa1", UNIT, unitFile, conf, record, "yes",
                "aaa1"), "runs current member aaa1");

        assertThat(machine.run(RemoteScript.RETIRE, marker, UID, memberId, "aaa1", UNIT, unitFile, conf, record, "yes",
                "bbb2").exitCode()).isZero();
        assertThat(machine.calls()).contains("systemctl disable --now " + UNIT, "rm -rf -- " + data + " " + data
                + ".archived-*", "rm -rf -- " + conf);
    }

    @Test
    void wipingRefusesADataDirHoldingWhatEtcdDidNotPutThere() {
        String record = machine.write("etc/etcd/install-record", "data " + data + "\nbin /usr/local/bin\n").toString();
        String unitFile = machine.path("etc/systemd/system/etcd.service").toString();
        String conf = machine.path("etc/etcd").toString();
        machine.write("etc/etcd/cluster-uid", UID);
        machine.write("etc/etcd/member-id", "aaa1");
        machine.write("var/lib/etcd/member/snap/db", "data");
        machine.write("var/lib/etcd/.backup-of-something-else", "precious");
        assertRefused(machine.run(RemoteScript.RETIRE, marker, UID, memberId, "aaa1", UNIT, unitFile, conf, record, "yes"),
                "holds .backup-of-something-else, which etcd did not put there");

        assertThat(machine.run(RemoteScript.RETIRE, marker, UID, memberId, "aaa1", UNIT, unitFile, conf, record, "no")
                .exitCode()).as("stopping keeps the data, so it is not refused").isZero();
        assertThat(machine.calls()).containsExactly("systemctl disable --now " + UNIT, "systemctl is-active --quiet " + UNIT,
                "systemctl reset-failed " + UNIT);
    }

    @Test
    void restoringRefusesAnotherClustersMachineAMemberAlreadyThereAndAWrongChecksum() throws Exception {
        Path snapshot = machine.write("staged/snapshot.db", "database" + "x".repeat(32));
        String sha = "00".repeat(32);
        String tool = machine.tool("etcdutl");
        machine.write("etc/etcd/cluster-uid", OTHER_UID);
        assertRefused(machine.run(RemoteScript.RESTORE, marker, UID, snapshot.toString(), sha, tool, "etcd-1",
                "etcd-1=https://10.0.0.1:2380", "tok", "https://10.0.0.1:2380", data, "etcd", "0"), "another EtcdVmCluster");
        machine.write("etc/etcd/cluster-uid", UID);
        machine.write("var/lib/etcd/member/snap/db", "live");
        assertRefused(machine.run(RemoteScript.RESTORE, marker, UID, snapshot.toString(), sha, tool, "etcd-1",
                "etcd-1=https://10.0.0.1:2380", "tok", "https://10.0.0.1:2380", data, "etcd", "0"), "already holds a member");
        Files.delete(machine.path("var/lib/etcd/member/snap/db"));
        Files.delete(machine.path("var/lib/etcd/member/snap"));
        Files.delete(machine.path("var/lib/etcd/member"));
        StubbedMachine.Run wrongSum = machine.run(RemoteScript.RESTORE, marker, UID, snapshot.toString(), sha, tool,
                "etcd-1", "etcd-1=https://10.0.0.1:2380", "tok", "https://10.0.0.1:2380", data, "etcd", "0");
        assertThat(wrongSum.exitCode()).as(wrongSum.stderr()).isEqualTo(4);
        assertThat(machine.calls()).as("asked to act").isEmpty();

        String right = "78".repeat(32); // 32 bytes of 'x'
        assertThat(machine.run(RemoteScript.RESTORE, marker, UID, snapshot.toString(), right, tool, "etcd-1",
                "etcd-1=https://10.0.0.1:2380", "tok", "https://10.0.0.1:2380", data, "etcd", "0").exitCode()).isZero();
        assertThat(machine.calls()).anySatisfy(call -> assertThat(call).startsWith("etcdutl snapshot restore "));
    }

    @Test
    void recoveringRefusesAnotherClustersMachineABadStampAnotherMembersDataAndNoDatabase() {
        String tool = machine.tool("etcdutl");
        machine.write("etc/etcd/member-id", "aaa1");
        machine.write("etc/etcd/cluster-uid", OTHER_UID);
        assertRefused(recover("aaa1", "20260101T000000Z", tool), "another EtcdVmCluster");
        machine.write("etc/etcd/cluster-uid", UID);
        StubbedMachine.Run badStamp = recover("aaa1", "../../../etc", tool);
        assertThat(badStamp.exitCode()).as(badStamp.stderr()).isEqualTo(2);
        assertThat(machine.calls()).isEmpty();
        assertRefused(recover("ccc3", "20260101T000000Z", tool), "not ccc3");
        assertRefused(recover("aaa1", "20260101T000000Z", tool), "holds no member database");
        assertThat(machine.path("var/lib/etcd.recovery-20260101T000000Z")).doesNotExist();

        machine.write("var/lib/etcd/member/snap/db", "live database");
        assertThat(recover("aaa1", "20260101T000000Z", tool).exitCode()).isZero();
        assertThat(machine.calls()).contains("systemctl stop " + UNIT,
                "mv -T " + data + " " + data + ".recovery-20260101T000000Z", "systemctl start --no-block " + UNIT);
    }

    private StubbedMachine.Run recover(String member, String stamp, String tool) {
        return machine.run(RemoteScript.RECOVER, marker, UID, memberId, member, UNIT, data, stamp, "etcd", tool, "", "",
                "etcd-1", "https://10.0.0.1:2380", "new-token", "0");
    }

    private void assertRefused(StubbedMachine.Run run, String why) {
        assertThat(run.exitCode()).as("exit code; stderr: " + run.stderr()).isEqualTo(RemoteScript.EXIT_NOT_OWNED);
        assertThat(run.stderr()).contains(why);
        assertThat(machine.calls()).as("commands a refused script asked to act").isEmpty();
    }
}
