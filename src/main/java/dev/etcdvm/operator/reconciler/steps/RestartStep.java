package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.util.List;
import java.util.Optional;

/**
 * Members whose files changed under them restart one per pass, and only while every member is healthy
 * and the membership is the spec's (no change decided this pass), so a rolling change never costs quorum.
 */
public final class RestartStep implements Step {
    private final HostActions machines;

    public RestartStep(HostActions machines) {
        this.machines = machines;
    }

    @Override
    public StepOutcome run(Pass pass) {
        if (!(pass.decision().change() instanceof MembershipChange.None)) {
            return StepOutcome.nothingToDo();
        }
        List<MemberSpec> members = pass.cluster().getSpec().getMembers();
        List<EtcdMemberView> etcdMembers = pass.observed().etcd().members();
        boolean allHealthy = members.size() == etcdMembers.size() && etcdMembers.stream().allMatch(EtcdMemberView::healthy);
        Optional<MemberSpec> due = members.stream()
                .filter(m -> Optional.ofNullable(pass.effects().hosts().get(m.getName())).flatMap(HostResult::outcome)
                        .map(HostOutcome::restartPending).orElse(false))
                .findFirst();
        if (!allHealthy || due.isEmpty()) {
            return StepOutcome.nothingToDo();
        }
        HostResult restarted = machines.restart(pass.hosts(), pass.cluster().getMetadata().getUid(), due.get());
        return StepOutcome.next(Effects.ofHosts(List.of(restarted)));
    }
}
