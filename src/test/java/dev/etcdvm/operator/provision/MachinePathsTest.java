package dev.etcdvm.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the probe reports about the directories, and which of it makes the operator keep its hands off. */
class MachinePathsTest {
    private static final String PROBED = """
            arch=x86_64
            systemd=yes
            real.data=/var/lib/etcd
            real.bin=/usr/local/bin
            record.data=/var/lib/etcd
            record.bin=/usr/local/bin
            record.peer-port=2380
            data=member
            """;

    @Test
    void aSafeMachineHasNoProblemsAndItsInstallRecordIsRead() {
        MachinePaths paths = HostProbe.parse(PROBED, 2379, 2380).paths();
        assertThat(paths.problems()).isEmpty();
        assertThat(paths.recorded(InstallRecord.PEER_PORT)).contains("2380");
        assertThat(paths.recorded(InstallRecord.USER)).isEmpty();
    }

    @Test
    void aDataDirectoryThatIsASymlinkToASystemDirectoryIsRefusedByWhereItLeads() {
        MachinePaths paths = HostProbe.parse(PROBED.replace("real.data=/var/lib/etcd", "real.data=/var/lib"), 2379, 2380)
                .paths();
        assertThat(paths.problems()).singleElement().asString()
                .startsWith("the data directory resolves to /var/lib is a system directory");
    }

    @Test
    void everyUnsafeFindingOfTheMachineIsKept() {
        MachinePaths paths = HostProbe.parse(PROBED + """
                unsafe.bin=/opt/bin is world-writable
                unsafe.bin=/opt/bin/etcd may have been changed by someone other than root: not run
                unsafe.data=/var/lib/etcd/snap is a mount point inside /var/lib/etcd
                """, 2379, 2380).paths();
        assertThat(paths.problems()).containsExactly("/opt/bin is world-writable",
                "/opt/bin/etcd may have been changed by someone other than root: not run",
                "/var/lib/etcd/snap is a mount point inside /var/lib/etcd");
    }
}
