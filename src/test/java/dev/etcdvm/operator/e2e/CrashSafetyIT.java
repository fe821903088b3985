package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.e2e.MembershipProbe.Member;
import dev.etcdvm.operator.reconciler.pass.Failpoints.Point;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator is killed right after each step of a membership change; a fresh operator, knowing only
 * what the machines, etcd and status hold, converges with no duplicate, orphaned or lost member.
 */
class CrashSafetyIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    @Test
    void killedAfterEachMembershipStepAFreshOperatorConverges(@TempDir Path dir) throws Exception {
        MembershipProbe probe = new MembershipProbe(fixture, testbed, dir);
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3", "vm4", "vm5");
        fixture.api().client().resource(fixture.cluster("crashsafe", "3.5.16", vms.subList(0, 3))).create();
        fixture.awaitReady("crashsafe", READY_WITHIN);

        List<Machine> four = vms.subList(0, 4);
        killDuring(Point.AFTER_MEMBER_ADD, () -> probe.setMembers("crashsafe", members(four)));
        assertConverged(probe, four);

        killDuring(Point.AFTER_MEMBER_REMOVE, () -> probe.setMembers("crashsafe", members(vms.subList(0, 3))));
        assertConverged(probe, vms.subList(0, 3));
        // The removed member's machine is found again from status and stopped, never left crash-looping.
        assertThat(probe.service(vms.get(3))).startsWith("inactive disabled data");

        // vm4 comes back holding its old member's data: archived, then it joins afresh.
        killDuring(Point.AFTER_JOINER_START, () -> probe.setMembers("crashsafe", members(four)));
        assertConverged(probe, four);
        assertThat(testbed.sshExec(vms.get(3), "root", "ls -d /var/lib/etcd.archived-*").stdout())
                .as("old data archived, not deleted").contains("/var/lib/etcd.archived-");

        killDuring(Point.AFTER_PROMOTE, () -> probe.setMembers("crashsafe", members(vms)));
        assertConverged(probe, vms);
    }

    /** Runs the edit under an operator that dies at the failpoint, then starts a fresh one. */
    private void killDuring(Point point, Runnable edit) throws InterruptedException {
        KillSwitch killSwitch = new KillSwitch(point);
        fixture.stopOperator();
        fixture.startOperator(killSwitch);
        edit.run();
        killSwitch.awaitKilled(Duration.ofSeconds(90));
        fixture.stopOperator();
        fixture.startOperator();
    }

    private void assertConverged(MembershipProbe probe, List<Machine> machines) {
        EtcdVmCluster ready = fixture.awaitReady("crashsafe", READY_WITHIN);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                fixture.resource("crashsafe").get().getStatus().getRetiringMembers().isEmpty());
        List<Member> members = probe.members("crashsafe");
        assertThat(members).extracting(Member::name)
                .containsExactlyElementsOf(machines.stream().map(m -> "etcd-" + m.name()).sorted().toList());
        assertThat(members).extracting(Member::peerUrl)
                .containsExactlyInAnyOrderElementsOf(machines.stream().map(m -> "https://" + m.address() + ":2380").toList());
        assertThat(members).noneMatch(Member::learner);
        assertThat(members).extracting(Member::id).doesNotHaveDuplicates();
        assertThat(ready.getStatus().getReadyMembers()).isEqualTo(machines.size() + "/" + machines.size());
        for (Machine m : machines) {
            assertThat(probe.service(m)).as(m.name()).startsWith("active enabled data");
        }
    }

    private static List<MemberSpec> members(List<Machine> machines) {
        return machines.stream().map(MembershipProbe::member).toList();
    }
}
