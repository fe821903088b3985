package dev.etcdvm.operator.reconciler.plan;

import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M1;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M2;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M3;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.support.FakeMaintenance;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.PlanRuns;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A defragmentation never shares a pass with another change, and a failed one is reported and kept to retry. */
class MaintenanceRuleTest {
    private final FakeMaintenance etcd = new FakeMaintenance();
    private final PlanRuns runs = new PlanRuns().maintenance(etcd);

    @Test
    void aFragmentedFollowerIsDefragmentedInAQuietPass() {
        Pass outcome = runs.run(pass());
        assertThat(etcd.asked()).containsExactly("Defragment etcd-2");
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason()).containsExactly(EventReason.Defragmented);
        assertThat(outcome.effects().maintenance().orElseThrow().next().getRemaining()).containsExactly("etcd-1");
    }

    @Test
    void aPassThatChangesSomethingElseLeavesMaintenanceForLater() {
        Pass quiet = pass();
        Decision provisioning = new Decision(Decision.Mode.CONVERGE, Planning.founders(quiet.cluster(), "uid"),
                new MembershipChange.None(), "Converging", "", Optional.empty(), Optional.empty());
        Pass outcome = runs.run(Passes.of(quiet.cluster(), quiet.observed(), provisioning, NOW));
        assertThat(runs.plan().actions()).as("the machines are brought in line first")
                .singleElement().isInstanceOf(Action.Provision.class);
        assertThat(etcd.asked()).isEmpty();
        assertThat(outcome.effects().maintenance().orElseThrow().next()).as("no round started in a busy pass").isNull();
    }

    @Test
    void aFailedDefragmentationIsReportedAndTheRoundKeptAsItWas() {
        Pass outcome = new PlanRuns().maintenance(etcd.failingWith("deadline exceeded")).run(pass());
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason())
                .containsExactly(EventReason.MaintenanceFailed);
        assertThat(outcome.effects().maintenance().orElseThrow().next()).as("status as before: nothing started").isNull();
    }

    /** etcd-1 leads; etcd-1 and etcd-2 are mostly free space (in use 16 of 200 MiB). */
    private static Pass pass() {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(M1, M2, M3));
        cluster.setStatus(new EtcdVmClusterStatus());
        ObservedCluster base = PassFixtures.healthyThree();
        List<EtcdMemberView> members = base.etcd().members().stream().map(m -> new EtcdMemberView(m.id(), m.name(),
                m.peerUrls(), m.clientUrls(), false, true, 2L, null, "3.5.16",
                m.name().equals("etcd-3") ? 1024L : 200L << 20, 16L << 20, 2L, 1000L, m.leader())).toList();
        ObservedCluster observed = new ObservedCluster(base.hosts(), new dev.etcdvm.operator.reconciler.observe.EtcdView(
                Optional.of("c1"), members, List.of(), List.of(), true, Optional.empty()));
        return Passes.of(cluster, observed, Passes.converging(new MembershipChange.None()), NOW);
    }
}
