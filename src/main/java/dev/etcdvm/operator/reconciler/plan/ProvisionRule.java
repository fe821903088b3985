package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.provision.MachineDrift;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.failure.Failures;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings the decided machines that are not in shape in line with their plans, all in one action (they are
 * provisioned in parallel); a machine in shape is not touched. A machine that failed this pass's preflight is
 * reported refused without a session being used. A bootstrap pass
 * then waits for the founders to form the cluster, and plans nothing more.
 */
final class ProvisionRule implements PlanRule {
    /** Forming takes an election timeout or two once every founder runs. */
    static final int ELECTION_TIMEOUTS = 5;
    /** A reconciler thread is held at most this long, whatever the election timeout. */
    static final Duration MAX_FORMATION_WAIT = Duration.ofSeconds(10);

    @Override
    public void add(Pass pass, PlanDraft plan) {
        List<Action.Provision.Machine> machines = new ArrayList<>();
        List<HostResult> refused = new ArrayList<>();
        pass.decision().provision().forEach((name, memberPlan) -> {
            Optional<ProvisionException> refusal = pass.fitness().refusal(name);
            if (refusal.isPresent()) {
                refused.add(HostResult.failed(name, Failures.of(refusal.get(), Operation.HOST_PROVISION, name)));
            } else {
                MachineDrift drift = pass.drift(name).orElseThrow();
                if (drift.provisioningNeeded()) {
                    machines.add(new Action.Provision.Machine(memberPlan,
                            pass.observed().host(name).flatMap(HostObservation::facts).orElseThrow(), drift));
                }
            }
        });
        if (!refused.isEmpty()) {
            plan.report(Effects.ofHosts(refused));
        }
        if (!machines.isEmpty()) {
            plan.add(new Action.Provision(machines,
                    pass.observed().etcd().members().stream().map(EtcdMemberView::id).toList()));
        }
        if (pass.decision().mode() == Decision.Mode.BOOTSTRAP) {
            // The founders are starting: look again soon to see them form the cluster, unless a machine failed.
            plan.report(Effects.NONE.waiting());
            Duration wait = Duration.ofMillis(
                    (long) ELECTION_TIMEOUTS * pass.cluster().getSpec().getEtcd().getElectionTimeoutMillis());
            plan.add(new Action.AwaitFormation(pass.cluster().getSpec().getMembers().stream().map(m -> m.getName()).toList(),
                    wait.compareTo(MAX_FORMATION_WAIT) < 0 ? wait : MAX_FORMATION_WAIT));
            plan.close();
        }
    }
}
