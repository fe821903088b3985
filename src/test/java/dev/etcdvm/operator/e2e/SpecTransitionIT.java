package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.HostKeyPolicy;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spec changes that would cut running members off their peers or their data, on real 1-, 2- and
 * 3-member clusters: a new peer port, and the first member's machine re-spelled under a second address.
 * Each is refused (by the API server's CEL rule where it runs one, else by the operator) while every
 * member keeps running with its data; set back, the cluster is Ready again.
 */
class SpecTransitionIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final String SECOND_ADDRESS = "10.250.0.111"; // vm1 under a second address, like a second NIC

    @ParameterizedTest(name = "{0} member(s)")
    @ValueSource(ints = {1, 2, 3})
    void aNewPeerPortOrARespelledAddressIsRefusedWithoutLosingQuorumOrData(int size, @TempDir Path dir) {
        List<Machine> vms = fixture.fresh(List.of("vm1", "vm2", "vm3").subList(0, size).toArray(String[]::new));
        String name = "moved" + size;
        EtcdVmCluster cluster = fixture.cluster(name, "3.5.16", vms);
        cluster.getSpec().getSsh().setHostKeyPolicy(HostKeyPolicy.AcceptNew); // the second address is pinned on first use
        fixture.api().client().resource(cluster).create();
        fixture.awaitReady(name, READY_WITHIN);
        MembershipProbe probe = new MembershipProbe(fixture, testbed, dir);
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret(name), dir);
        await().atMost(Duration.ofSeconds(20)).until(() -> etcdctl.run("put", "/kept", "v1"), put -> put.exitCode() == 0);
        List<MembershipProbe.Member> members = probe.members(name);

        refusedThenSetBack(name, "spec.etcd.peerPort", c -> {
            c.getSpec().getEtcd().setPeerPort(12380);
            return c;
        }, c -> {
            c.getSpec().getEtcd().setPeerPort(2380);
            return c;
        }, vms, probe, etcdctl, members);

        testbed.alias(vms.get(0).name(), SECOND_ADDRESS);
        try {
            refusedThenSetBack(name, "spec.members[0].address", c -> {
                c.getSpec().getMembers().get(0).setAddress(SECOND_ADDRESS);
                return c;
            }, c -> {
                c.getSpec().getMembers().get(0).setAddress(vms.get(0).address());
                return c;
            }, vms, probe, etcdctl, members);
        } finally {
            testbed.unalias(vms.get(0).name(), SECOND_ADDRESS);
        }
    }

    private void refusedThenSetBack(String name, String field, UnaryOperator<EtcdVmCluster> change,
            UnaryOperator<EtcdVmCluster> back, List<Machine> vms, MembershipProbe probe, EtcdctlClient etcdctl,
            List<MembershipProbe.Member> members) {
        List<String> processes = vms.stream().map(this::mainPid).toList();
        try {
            fixture.edit(name, change);
        } catch (KubernetesClientException e) {
            // A real API server enforces the CRD's transition rule: refused before the operator sees it.
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
            assertThat(e.getMessage()).contains("cannot be changed");
            return;
        }
        EtcdVmCluster refused = await().atMost(Duration.ofSeconds(60)).until(() -> fixture.resource(name).get(),
                c -> condition(c, "SpecValid").map(s -> "SpecChangeRefused".equals(s.getReason())).orElse(false));
        assertThat(condition(refused, "SpecValid").get().getMessage()).contains(field, "set it back");
        assertThat(condition(refused, "Ready").get().getStatus()).isEqualTo("False");
        assertThat(probe.events(name, "ChangesFrozen")).isNotEmpty();

        // A few more passes change nothing: same members, every machine running its member, the data there.
        long generation = refused.getMetadata().getGeneration();
        String since = refused.getStatus().getMembers().get(0).getLastProbeTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource(name).get(), c ->
                c.getStatus().getObservedGeneration() == generation
                        && !c.getStatus().getMembers().get(0).getLastProbeTime().equals(since));
        assertThat(probe.members(name)).as("etcd's members").isEqualTo(members);
        for (Machine vm : vms) {
            assertThat(probe.service(vm)).as(vm.name()).isEqualTo("active enabled data binary config");
        }
        assertThat(etcdctl.run("get", "/kept", "--print-value-only").stdout().trim()).isEqualTo("v1");

        fixture.edit(name, back);
        fixture.awaitReady(name, READY_WITHIN);
        assertThat(probe.members(name)).as("etcd's members once set back").isEqualTo(members);
        // Setting it back leaves the address the refused spec named behind: nothing may be retired there, it
        // is a running member's machine; no member was stopped or restarted at any point.
        long settled = Instant.parse(fixture.resource(name).get().getStatus().getMembers().get(0).getLastProbeTime())
                .getEpochSecond();
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.parse(fixture.resource(name).get().getStatus()
                .getMembers().get(0).getLastProbeTime()).getEpochSecond() >= settled + 6);
        assertThat(probe.events(name, "MemberRetired")).as("machines retired").isEmpty();
        assertThat(vms.stream().map(this::mainPid).toList()).as("etcd's process on each machine").isEqualTo(processes);
    }
}
