package dev.etcdvm.operator.reconciler.plan;

import static dev.etcdvm.operator.reconciler.plan.PassFixtures.NOW;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.healthyThree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.DesiredMembers;
import dev.etcdvm.operator.reconciler.decide.Fitness;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.FakeMachines;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.PlanRuns;
import dev.etcdvm.operator.support.Specs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProvisionRuleTest {
    private final PlanRuns runs = new PlanRuns();
    private final FakeMachines machines = runs.machines;
    private final EtcdVmCluster cluster = Specs.threeMembers("c", "ns");

    {
        cluster.getMetadata().setUid("uid-c");
    }

    @Test
    void machinesInShapeCostNoEarlyLook() {
        Pass outcome = runs.run(pass(Decision.Mode.CONVERGE, Fitness.of(plans(), healthyThree())));
        assertThat(machines.calls()).containsExactly("provision etcd-1", "provision etcd-2", "provision etcd-3");
        assertThat(outcome.effects().paces()).containsExactly(Pace.STEADY);
    }

    @Test
    void aRefusedLoginIsThatMachinesFailureAndBacksOff() {
        machines.failing("etcd-2", Failure.of(Operation.SSH_CONNECT, FailureReason.HostUnreachable, null,
                "connect to 10.250.0.12:22: connection refused"));
        Pass outcome = runs.run(pass(Decision.Mode.CONVERGE, Fitness.of(plans(), healthyThree())));
        assertThat(outcome.effects().hosts().get("etcd-2").failure()).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.HostUnreachable);
            assertThat(f.member()).contains("etcd-2");
        });
        assertThat(outcome.effects().hosts().get("etcd-1").failure()).isEmpty();
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.PROBLEM);
    }

    @Test
    void aFailingCommandNextToAChangedMachineStillLooksAgainSoon() {
        machines.failing("etcd-3", Failure.of(Operation.HOST_PROVISION, FailureReason.CommandFailed, null, "exit 1"))
                .provisioning("etcd-1", new HostOutcome(List.of("/etc/etcd/etcd.env"), false, false, true));
        Pass outcome = runs.run(pass(Decision.Mode.CONVERGE, Fitness.of(plans(), healthyThree())));
        assertThat(outcome.effects().paces()).contains(Pace.SOON, Pace.PROBLEM);
    }

    @Test
    void aMachineThatFailedPreflightIsRefusedWithoutBeingTouched() {
        Map<String, Optional<ProvisionException>> verdicts = new LinkedHashMap<>(Fitness.of(plans(), healthyThree()).verdicts());
        verdicts.put("etcd-2", Optional.of(new ProvisionException(ProvisionException.Reason.ForeignData,
                "machine belongs to another EtcdVmCluster")));
        Pass outcome = runs.run(pass(Decision.Mode.CONVERGE, new Fitness(verdicts)));
        assertThat(machines.calls()).containsExactly("provision etcd-1", "provision etcd-3");
        assertThat(outcome.effects().hosts().get("etcd-2").failure())
                .hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(FailureReason.ForeignData));
    }

    @Test
    void aBootstrapPassLooksAgainSoon() {
        Pass outcome = runs.run(pass(Decision.Mode.BOOTSTRAP, Fitness.of(plans(), healthyThree())));
        assertThat(outcome.effects().paces()).contains(Pace.WAITING);
    }

    private Map<String, MemberPlan> plans() {
        return DesiredMembers.plans(cluster, Passes.placeholderTls(cluster));
    }

    private Pass pass(Decision.Mode mode, Fitness fitness) {
        Map<String, MemberPlan> provision = new LinkedHashMap<>();
        plans().forEach((name, plan) -> provision.put(name, plan.as(MemberRole.MEMBER, Optional.empty())));
        Decision decision = new Decision(mode, provision, new MembershipChange.None(), "Converging", "", Optional.empty(), Optional.empty());
        Pass base = Passes.of(cluster, healthyThree(), decision, NOW);
        return new Pass(base.cluster(), base.now(), base.tls(), base.hosts(), base.fence(), base.observed(),
                base.match(), fitness, base.decision(), base.leaving(), base.effects());
    }
}
