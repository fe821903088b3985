package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.e2e.MembershipProbe.member;
import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.e2e.MembershipProbe.Member;
import dev.etcdvm.operator.etcd.NumberedWriter;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Day-2 membership on the testbed machines, with a client writing through the consumer Secret: scaling
 * up and down, a host swap, serialized removals, and a crashed or rebuilt member.
 */
class MembershipIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    /** The spec's default election timeout: writes may never be refused longer than one election. */
    private static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1000);

    private MembershipProbe probe;

    @BeforeEach
    void probe(@TempDir Path dir) {
        probe = new MembershipProbe(fixture, testbed, dir);
    }

    @Test
    void threeToFiveToThreeWhileAClientWrites() throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3", "vm4", "vm5");
        fixture.api().client().resource(fixture.cluster("scale", "3.5.16", vms.subList(0, 3))).create();
        fixture.awaitReady("scale", READY_WITHIN);

        try (NumberedWriter writer = probe.writer("scale");
                var phases = new MembershipProbe.PhaseSampler(fixture, "scale")) {
            long start = System.nanoTime();
            EtcdVmCluster five;
            try (PlanLog plans = new PlanLog(fixture.api().namespace(), "scale")) {
                probe.setMembers("scale", vms.stream().map(MembershipProbe::member).toList());
                five = fixture.awaitReady("scale", READY_WITHIN);
                System.out.printf("3 -> 5 members: %d ms; the passes that acted, as planned:%n%s", (System.nanoTime()
                        - start) / 1_000_000, plans.acting());
                assertThat(plans.actionsOn("etcd-vm4")).as("etcd-vm4 installed, added, started, promoted, a pass each")
                        .containsSubsequence("provision etcd-vm4 as STANDBY",
                                "adding etcd-vm4 (https://" + vms.get(3).address() + ":2380) as a learner",
                                "provision etcd-vm4 as JOINER", "promoting learner etcd-vm4");
            }
            assertThat(five.getStatus().getReadyMembers()).isEqualTo("5/5");
            assertThat(probe.members("scale")).extracting(Member::name)
                    .containsExactly("etcd-vm1", "etcd-vm2", "etcd-vm3", "etcd-vm4", "etcd-vm5");
            assertThat(probe.members("scale")).noneMatch(Member::learner);
            assertThat(phases.seen()).as("status showed the new members as learners").contains("etcd-vm4:Learner");

            start = System.nanoTime();
            probe.setMembers("scale", vms.subList(0, 3).stream().map(MembershipProbe::member).toList());
            EtcdVmCluster three = fixture.awaitReady("scale", READY_WITHIN);
            System.out.printf("5 -> 3 members: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(three.getStatus().getReadyMembers()).isEqualTo("3/3");
            assertThat(probe.members("scale")).extracting(Member::name).containsExactly("etcd-vm1", "etcd-vm2", "etcd-vm3");
            awaitRetired("scale");
            // The default policy keeps a retired machine's data but never lets etcd run there again.
            assertThat(probe.service(vms.get(3))).startsWith("inactive disabled data");
            assertThat(probe.service(vms.get(4))).startsWith("inactive disabled data");
            assertThat(phases.seen()).contains("cluster:Reconfiguring");
            MembershipProbe.assertNoAcknowledgedWriteLost(writer, ELECTION_TIMEOUT);
        }
    }

    @Test
    void aHostSwapKeepsEveryAcknowledgedWrite() throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3", "vm4");
        fixture.api().client().resource(fixture.cluster("swap", "3.5.16", vms.subList(0, 3))).create();
        String oldId = idOf(fixture.awaitReady("swap", READY_WITHIN), "etcd-vm3");

        try (NumberedWriter writer = probe.writer("swap")) {
            long start = System.nanoTime();
            fixture.edit("swap", c -> {
                c.getSpec().getMembers().get(2).setAddress(vms.get(3).address());
                return c;
            });
            EtcdVmCluster swapped = fixture.awaitReady("swap", READY_WITHIN);
            awaitRetired("swap");
            System.out.printf("host swap: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(swapped.getStatus().getReadyMembers()).isEqualTo("3/3");
            List<Member> members = probe.members("swap");
            assertThat(members).extracting(Member::name).containsExactly("etcd-vm1", "etcd-vm2", "etcd-vm3");
            assertThat(members.get(2).peerUrl()).isEqualTo("https://" + vms.get(3).address() + ":2380");
            assertThat(members.get(2).id()).isNotEqualTo(oldId);
            assertThat(probe.service(vms.get(2))).startsWith("inactive disabled");
            assertThat(probe.service(vms.get(3))).startsWith("active enabled data");
            MembershipProbe.assertNoAcknowledgedWriteLost(writer, ELECTION_TIMEOUT);
        }
    }

    @Test
    void removingTwoOfThreeIsSerializedAndTheLastMemberIsKept() throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        fixture.api().client().resource(fixture.cluster("shrink", "3.5.16", vms)).create();
        fixture.awaitReady("shrink", READY_WITHIN);

        try (NumberedWriter writer = probe.writer("shrink")) {
            probe.setMembers("shrink", List.of(member(vms.get(0))));
            EtcdVmCluster one = fixture.awaitReady("shrink", READY_WITHIN);
            awaitRetired("shrink");
            assertThat(one.getStatus().getReadyMembers()).isEqualTo("1/1");
            assertThat(probe.members("shrink")).extracting(Member::name).containsExactly("etcd-vm1");
            List<Event> removals = probe.events("shrink", "MembershipChanged").stream()
                    .filter(e -> e.getMessage().startsWith("removed")).toList();
            assertThat(removals).as("one removal per pass, each its own event").hasSize(2);
            MembershipProbe.assertNoAcknowledgedWriteLost(writer, ELECTION_TIMEOUT);
        }

        // An empty member list would delete the cluster's last member: refused, nothing touched.
        probe.setMembers("shrink", List.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("shrink").get(),
                c -> condition(c, "SpecValid").map(s -> "False".equals(s.getStatus())).orElse(false));
        assertThat(condition(fixture.resource("shrink").get(), "SpecValid").get().getMessage()).contains("spec.members");
        assertThat(probe.members("shrink")).extracting(Member::name).containsExactly("etcd-vm1");
        assertThat(probe.service(vms.get(0))).startsWith("active enabled data");
    }

    @Test
    void aCrashIsDegradedARestartIsReadyAndARebuiltMachineIsReplaced() {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        EtcdVmCluster crash = fixture.cluster("crash", "3.5.16", vms);
        // A rebuilt machine is replaced 10 s after its member failed rather than 30: the same path, sooner.
        crash.getSpec().setReplaceFailedMemberAfterSeconds(10);
        fixture.api().client().resource(crash).create();
        String before = idOf(fixture.awaitReady("crash", READY_WITHIN), "etcd-vm3");

        testbed.crash("vm3");
        long crashed = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> condition(fixture.resource("crash").get(), "Degraded")
                        .map(c -> "True".equals(c.getStatus())).orElse(false));
        System.out.printf("crash -> Degraded: %d ms%n", (System.nanoTime() - crashed) / 1_000_000);
        // When the crashed member led, the first look may come during the election (no member answers a
        // read); once a new leader is in place the two survivors serve.
        EtcdVmCluster degraded = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> fixture.resource("crash").get(), c -> "2/3".equals(c.getStatus().getReadyMembers()));
        assertThat(degraded.getStatus().getPhase().name()).isEqualTo("Degraded");

        // With etcd-vm3 down, dropping etcd-vm2 would leave one healthy voter of two: refused, nothing done.
        probe.setMembers("crash", List.of(member(vms.get(0)), member(vms.get(2))));
        Condition refused = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> condition(fixture.resource("crash").get(), "Progressing").orElse(null),
                        c -> c != null && "QuorumGuard".equals(c.getReason()));
        assertThat(refused.getStatus()).isEqualTo("False");
        assertThat(refused.getMessage()).contains("refusing to remove etcd-vm2", "quorum needs 2");
        assertThat(probe.events("crash", "MembershipChangeRefused")).isNotEmpty();
        assertThat(probe.service(vms.get(1))).startsWith("active enabled data");
        probe.setMembers("crash", vms.stream().map(MembershipProbe::member).toList());

        // Back on its own disk: the same member, nothing replaced.
        testbed.start("vm3", false);
        assertThat(idOf(fixture.awaitReady("crash", READY_WITHIN), "etcd-vm3")).isEqualTo(before);

        // Rebuilt: same address and host key, empty disk. Removed and re-added as a learner by itself.
        testbed.crash("vm3");
        testbed.start("vm3", true);
        long rebuilt = System.nanoTime();
        EtcdVmCluster replaced = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.resource("crash").get(), c -> "3/3".equals(c.getStatus().getReadyMembers())
                        && !before.equals(idOf(c, "etcd-vm3")));
        System.out.printf("rebuilt machine -> replaced member ready: %d ms%n", (System.nanoTime() - rebuilt) / 1_000_000);
        assertThat(probe.members("crash")).extracting(Member::name).containsExactly("etcd-vm1", "etcd-vm2", "etcd-vm3");
        assertThat(probe.members("crash")).extracting(Member::id).contains(idOf(replaced, "etcd-vm3"));
    }

    private void awaitRetired(String cluster) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> fixture.resource(cluster).get().getStatus().getRetiringMembers().isEmpty());
    }

    private static String idOf(EtcdVmCluster cluster, String member) {
        return cluster.getStatus().getMembers().stream().filter(m -> member.equals(m.getName()))
                .map(MemberStatus::getId).findFirst().orElse(null);
    }
}
