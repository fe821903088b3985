package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.RetiringMembers;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stops the service of machines etcd no longer lists (they would crash-loop as removed members); with the Wipe
 * policy their data goes too. Status is only the memory of which machines to look at: the remote script acts only
 * where the machine still carries this cluster's marker and the removed member's data, so an edited status cannot
 * aim it elsewhere.
 */
final class RetireRule implements PlanRule {
    @Override
    public void add(Pass pass, PlanDraft plan) {
        if (pass.decision().mode() != Decision.Mode.CONVERGE) {
            return;
        }
        Set<String> current = pass.observed().etcd().members().stream().map(EtcdMemberView::id)
                .collect(Collectors.toSet());
        List<MemberStatus> remaining = new ArrayList<>(pass.leaving());
        List<Announcement> announcements = new ArrayList<>();
        // An entry naming a member etcd lists now is not a removed member, whatever status says.
        for (MemberStatus m : pass.leaving()) {
            if (RetiringMembers.RETIRING.equals(m.getPhase()) && m.getId() != null && current.contains(m.getId())) {
                remaining.remove(m);
                announcements.add(new Announcement(EventReason.MachineNotOwned, "not retiring " + m.getName() + " ("
                        + m.getAddress() + "): member " + m.getId() + " is a current etcd member"));
            }
        }
        plan.report(Effects.ofRetiring(remaining, announcements));
        List<MemberStatus> due = remaining.stream().filter(m -> RetiringMembers.RETIRING.equals(m.getPhase())
                && !failedRecently(m, pass.now())).toList();
        // Which members run now is what keeps a running member's machine from being stopped: unknown, wait.
        if (!due.isEmpty() && pass.observed().etcd().available()) {
            plan.add(new Action.Retire(due, remaining, pass.cluster().getMetadata().getUid(),
                    pass.cluster().getSpec().getDeletionPolicy() == DeletionPolicy.Wipe, List.copyOf(current)));
        }
    }

    private static boolean failedRecently(MemberStatus m, Instant now) {
        return m.getLastProbeTime() != null && Instant.parse(m.getLastProbeTime()).plus(Action.Retire.RETRY_FAILED).isAfter(now);
    }
}
