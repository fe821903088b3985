package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.assertCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcdvm.operator.api.v1alpha1.BinaryDelivery;
import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From a manifest to a healthy TLS etcd cluster on the testbed machines, checked with an independent etcdctl. */
class BootstrapIT extends EndToEndTest {
    static final Duration READY_WITHIN = Duration.ofSeconds(150);

    @Test
    void threeMembersFormATlsClusterThatAnIndependentEtcdctlAgreesWith(@TempDir Path dir) throws Exception {
        List<Machine> machines = fresh("vm1", "vm2", "vm3");
        fixture.api().client().resource(fixture.cluster("main", "3.5.16", machines)).create();

        EtcdVmCluster ready = awaitReady("main");
        assertThat(ready.getStatus().getPhase()).isEqualTo(ClusterPhase.Running);
        assertThat(ready.getStatus().getReadyMembers()).isEqualTo("3/3");
        assertThat(ready.getStatus().getVersion()).isEqualTo("3.5.16");
        assertThat(ready.getStatus().getClusterId()).isNotBlank();
        assertThat(ready.getStatus().getLeader()).startsWith("etcd-vm");
        assertThat(ready.getStatus().getMembers()).hasSize(3).allSatisfy(m -> {
            assertThat(m.getHealthy()).isTrue();
            assertThat(m.getPhase()).isEqualTo("Running");
            assertThat(m.getId()).matches("[0-9a-f]+");
            assertThat(m.getVersion()).isEqualTo("3.5.16");
            assertThat(m.getDbSizeBytes()).isPositive();
            assertThat(m.getRaftTerm()).isPositive();
            assertThat(m.getHealthLatencyMillis()).isNotNull();
            assertThat(m.getHostKeyFingerprint()).startsWith("SHA256:");
        });
        assertCondition(ready, "HostsReachable", "True");
        assertCondition(ready, "Degraded", "False");

        EtcdctlClient etcdctl = new EtcdctlClient(consumerSecret(ready), dir);
        CommandResult health = etcdctl.run("endpoint", "health", "--cluster");
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.stdout() + health.stderr()).contains("is healthy").doesNotContain("unhealthy");

        CommandResult list = etcdctl.run("member", "list", "-w", "json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(membersByName(list.stdout())).isEqualTo(idsByName(ready.getStatus().getMembers()));

        assertThat(etcdctl.run("put", "greeting", "hello from etcdctl").exitCode()).isZero();
        assertThat(etcdctl.run("get", "greeting", "--print-value-only").stdout().trim()).isEqualTo("hello from etcdctl");

        assertThat(etcdctl.runWithoutClientCertificate("get", "greeting").exitCode())
                .as("a client without a certificate is refused").isNotZero();
        assertThat(etcdctl.runPlaintext("get", "greeting").exitCode()).as("a plaintext client is refused").isNotZero();

        assertNothingChangesOnAnotherPass(machines);
    }

    /** Reapplying (and every resync) rewrites no file, restarts no service and opens no connection. */
    private void assertNothingChangesOnAnotherPass(List<Machine> machines) throws InterruptedException {
        Map<String, String> before = machineState(machines);
        long sessions = fixture.sshSessionsOpened();
        fixture.edit("main", c -> c); // the same manifest again
        Thread.sleep(OperatorFixture.RESYNC.multipliedBy(4).toMillis());
        assertThat(machineState(machines)).isEqualTo(before);
        assertThat(fixture.sshSessionsOpened()).as("SSH sessions opened by further passes").isEqualTo(sessions);
        assertThat(fixture.resource("main").get().getStatus().getReadyMembers()).isEqualTo("3/3");
    }

    @Test
    void aSudoUserWithOperatorPushRunsEtcd34AsASingleMember() {
        List<Machine> machines = fresh("vm4");
        EtcdVmCluster cluster = fixture.cluster("solo", "3.4.23", machines);
        cluster.getSpec().getSsh().setUser("ops");
        cluster.getSpec().getBinary().setDelivery(BinaryDelivery.OperatorPush);
        fixture.api().client().resource(cluster).create();

        EtcdVmCluster ready = awaitReady("solo");
        assertThat(ready.getStatus().getVersion()).isEqualTo("3.4.23");
        assertThat(ready.getStatus().getReadyMembers()).isEqualTo("1/1");
        CommandResult owner = testbed.sshExec(machines.get(0), "root",
                "stat -c '%U %a' /var/lib/etcd /etc/etcd/pki/server.key; systemctl is-active etcd; /usr/local/bin/etcd --version | head -1");
        assertThat(owner.stdout()).contains("etcd 700", "etcd 600", "active", "etcd Version: 3.4.23");
    }

    @Test
    void fiveMembersOnEtcd35() {
        List<Machine> machines = fresh("vm1", "vm2", "vm3", "vm4", "vm5");
        fixture.api().client().resource(fixture.cluster("five", "3.5.16", machines)).create();

        EtcdVmCluster ready = awaitReady("five");
        assertThat(ready.getStatus().getReadyMembers()).isEqualTo("5/5");
        assertThat(ready.getStatus().getMembers()).extracting(MemberStatus::getLeader).containsOnlyOnce(true);
    }

    @Test
    void anOperatorStoppedMidProvisioningConvergesToTheSameClusterWithoutDuplicates() {
        List<Machine> machines = fresh("vm1", "vm2", "vm3");
        fixture.api().client().resource(fixture.cluster("restart", "3.5.16", machines)).create();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                testbed.sshExec(machines.get(0), "root", "test -e /usr/local/bin/etcd").succeeded());

        fixture.stopOperator();
        fixture.startOperator();

        EtcdVmCluster ready = awaitReady("restart");
        assertThat(ready.getStatus().getMembers()).extracting(MemberStatus::getId).doesNotContainNull().doesNotHaveDuplicates();
        CommandResult members = testbed.sshExec(machines.get(0), "root", "ETCDCTL_API=3 /usr/local/bin/etcdctl"
                + " --endpoints=https://127.0.0.1:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/peer.crt"
                + " --key=/etc/etcd/pki/peer.key member list | wc -l");
        assertThat(members.stdout().trim()).isEqualTo("3");
    }

    private EtcdVmCluster awaitReady(String name) {
        return fixture.awaitReady(name, READY_WITHIN);
    }

    private List<Machine> fresh(String... names) {
        return fixture.fresh(names);
    }

    private Map<String, String> machineState(List<Machine> machines) {
        Map<String, String> state = new TreeMap<>();
        for (Machine m : machines) {
            CommandResult r = testbed.sshExec(m, "root", "systemctl show -p ActiveEnterTimestamp -p MainPID etcd.service;"
                    + " stat -c '%n %Y %i' /etc/etcd/etcd.env /etc/etcd/initial-cluster.env /etc/etcd/cluster-uid"
                    + " /etc/etcd/pki/* /etc/systemd/system/etcd.service /usr/local/bin/etcd");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            state.put(m.name(), r.stdout());
        }
        return state;
    }

    private Secret consumerSecret(EtcdVmCluster cluster) {
        return fixture.consumerSecret(cluster.getMetadata().getName());
    }

    private static Map<String, String> membersByName(String json) throws Exception {
        JsonNode root = new ObjectMapper().readTree(json);
        Map<String, String> byName = new TreeMap<>();
        for (JsonNode member : root.get("members")) {
            byName.put(member.get("name").asText(), Long.toHexString(Long.parseUnsignedLong(member.get("ID").asText())));
        }
        return byName;
    }

    private static Map<String, String> idsByName(List<MemberStatus> members) {
        Map<String, String> byName = new TreeMap<>();
        members.forEach(m -> byName.put(m.getName(), m.getId()));
        return byName;
    }
}
