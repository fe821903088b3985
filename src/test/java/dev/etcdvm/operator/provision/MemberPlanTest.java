package dev.etcdvm.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.support.Specs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemberPlanTest {
    private final EtcdVmCluster cluster = Specs.threeMembers("main", "ns");
    private final MemberTls tls = new MemberTls("CA", "SERVER-CRT", "SERVER-KEY", "PEER-CRT", "PEER-KEY");

    private MemberPlan plan(int index) {
        MemberSpec member = cluster.getSpec().getMembers().get(index);
        return MemberPlan.of(cluster.getSpec(), member, cluster.getSpec().getMembers(), "new", "uid-1", "ns/main", tls);
    }

    @Test
    void environmentCarriesTlsEverywhereAndTheTuning() {
        String env = new String(file(plan(1), HostLayout.ENV_FILE).content());
        assertThat(env).contains("ETCD_NAME=etcd-2\n", "ETCD_ADVERTISE_CLIENT_URLS=https://10.250.0.12:2379\n",
                "ETCD_LISTEN_CLIENT_URLS=https://10.250.0.12:2379,https://127.0.0.1:2379\n",
                "ETCD_LISTEN_PEER_URLS=https://10.250.0.12:2380\n", "ETCD_CLIENT_CERT_AUTH=true\n",
                "ETCD_PEER_CLIENT_CERT_AUTH=true\n", "ETCD_HEARTBEAT_INTERVAL=100\n", "ETCD_ELECTION_TIMEOUT=1000\n",
                "ETCD_LISTEN_METRICS_URLS=http://10.250.0.12:2381\n")
                .doesNotContain("INITIAL_CLUSTER");
        // Client and peer traffic is TLS; the one plain listener serves only /metrics and /health.
        assertThat(env.lines().filter(l -> l.contains("http://"))).containsExactly(
                "ETCD_LISTEN_METRICS_URLS=http://10.250.0.12:2381");
    }

    @Test
    void initialClusterListsEveryMemberWithTheResourceUidAsToken() {
        String initial = new String(plan(0).initialCluster().content());
        assertThat(initial).contains("ETCD_INITIAL_CLUSTER=etcd-1=https://10.250.0.11:2380,etcd-2=https://10.250.0.12:2380,"
                + "etcd-3=https://10.250.0.13:2380\n", "ETCD_INITIAL_CLUSTER_STATE=new\n", "ETCD_INITIAL_CLUSTER_TOKEN=uid-1\n");
    }

    @Test
    void keysAreOwnedByTheServiceUserAndUnreadableByOthers() {
        assertThat(file(plan(0), HostLayout.PKI_DIR + "/server.key")).satisfies(f -> {
            assertThat(f.mode()).isEqualTo("0600");
            assertThat(f.owner()).isEqualTo("etcd");
        });
        assertThat(file(plan(0), HostLayout.PKI_DIR + "/peer.key").mode()).isEqualTo("0600");
        assertThat(plan(0).toString()).doesNotContain("SERVER-KEY", "PEER-KEY");
    }

    @Test
    void unitRestartsOnFailureAndRaisesTheFileLimit() {
        String unit = new String(file(plan(0), HostLayout.UNIT_FILE).content());
        assertThat(unit).contains("Type=notify", "Restart=on-failure", "RestartSec=5", "LimitNOFILE=65536",
                "User=etcd", "ExecStart=/usr/local/bin/etcd\n", "EnvironmentFile=-/etc/etcd/initial-cluster.env");
    }

    @Test
    void renderingIsDeterministicSoUnchangedFilesAreNeverRewritten() {
        assertThat(plan(2).files()).isEqualTo(plan(2).files());
        Map<String, HostFacts.RemoteFileState> onDisk = new HashMap<>();
        plan(2).wantedFiles(true).forEach(f -> onDisk.put(f.path(),
                new HostFacts.RemoteFileState(MachineDrift.attributes(f), 100)));
        assertThat(MachineDrift.staleFiles(plan(2), facts(onDisk, HostFacts.DataDir.MEMBER))).isEmpty();
    }

    @Test
    void aChangedModeOrMissingFileIsStaleAndTheInitialClusterFileIsSealedOnceDataExists() {
        Map<String, HostFacts.RemoteFileState> onDisk = new HashMap<>();
        plan(0).files().forEach(f -> onDisk.put(f.path(), new HostFacts.RemoteFileState(MachineDrift.attributes(f), 100)));
        ManagedFile key = file(plan(0), HostLayout.PKI_DIR + "/server.key");
        onDisk.put(key.path(), new HostFacts.RemoteFileState(key.sha256() + " 0644 etcd etcd", 100));

        List<ManagedFile> withData = MachineDrift.staleFiles(plan(0), facts(onDisk, HostFacts.DataDir.MEMBER));
        assertThat(withData).extracting(ManagedFile::path).containsExactly(key.path(), HostLayout.INITIAL_ENV_FILE);
        // A member with data never forms a new cluster again: should its data vanish, etcd refuses to start.
        assertThat(new String(withData.get(1).content())).contains("ETCD_INITIAL_CLUSTER_STATE=existing")
                .doesNotContain("new").doesNotContain("ETCD_INITIAL_CLUSTER=");
        List<ManagedFile> empty = MachineDrift.staleFiles(plan(0), facts(onDisk, HostFacts.DataDir.ABSENT));
        assertThat(empty).extracting(ManagedFile::path).containsExactly(key.path(), HostLayout.INITIAL_ENV_FILE);
        assertThat(new String(empty.get(1).content())).contains("ETCD_INITIAL_CLUSTER_STATE=new");
    }

    @Test
    void dnsNamedMembersListenOnAllInterfacesAndIpv6IsBracketed() {
        cluster.getSpec().getMembers().set(0, new MemberSpec("etcd-1", "etcd-1.example.org"));
        cluster.getSpec().getMembers().set(1, new MemberSpec("etcd-2", "fd00::12"));
        assertThat(new String(file(plan(0), HostLayout.ENV_FILE).content()))
                .contains("ETCD_LISTEN_CLIENT_URLS=https://0.0.0.0:2379\n", "ETCD_ADVERTISE_CLIENT_URLS=https://etcd-1.example.org:2379\n");
        assertThat(new String(file(plan(1), HostLayout.ENV_FILE).content()))
                .contains("ETCD_ADVERTISE_CLIENT_URLS=https://[fd00::12]:2379\n");
    }

    @Test
    void probeOutputIsParsedIntoFacts() {
        HostFacts facts = HostProbe.parse("""
                arch=x86_64
                systemd=yes
                version=3.5.16
                binmtime=1700000000
                data=member
                marker=uid-1
                active=active
                enabled=enabled
                started=1700000100
                port.2379=etcd\s
                port.2380=free
                diskfree=2048000
                file=abc 600 etcd etcd 1700000050 /etc/etcd/pki/server.key
                """, 2379, 2380);
        assertThat(facts.installedVersion()).contains("3.5.16");
        assertThat(facts.hasMemberData()).isTrue();
        assertThat(facts.marker()).contains("uid-1");
        assertThat(facts.serviceActive()).isTrue();
        assertThat(facts.serviceStarted()).isEqualTo(1700000100L);
        assertThat(facts.portHolders()).containsEntry(2379, "etcd").containsEntry(2380, "free");
        assertThat(facts.files().get("/etc/etcd/pki/server.key"))
                .isEqualTo(new HostFacts.RemoteFileState("abc 0600 etcd etcd", 1700000050L));
    }

    private static HostFacts facts(Map<String, HostFacts.RemoteFileState> files, HostFacts.DataDir data) {
        return new HostFacts("x86_64", true, Optional.of("3.5.16"), 1, data, Optional.of("uid-1"), Optional.empty(), Optional.empty(), "active", true,
                200, Map.of(2379, "etcd", 2380, "etcd"), 1_000_000, files, 0, MachinePaths.NONE);
    }

    private static ManagedFile file(MemberPlan plan, String path) {
        List<ManagedFile> all = plan.allFiles();
        return all.stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }
}
