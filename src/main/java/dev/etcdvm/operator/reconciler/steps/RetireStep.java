package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.decide.RetiringMembers;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.FailureReason;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.machines.Retiree;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stops the service of machines etcd no longer lists (they would crash-loop as removed members); with
 * the Wipe policy their data goes too. Entries stay in status until that succeeded. Status is only the
 * memory of which machines to look at: the remote script acts only where the machine still carries this
 * cluster's marker and the removed member's data, so an edited status cannot aim it elsewhere.
 */
public final class RetireStep implements Step {
    /**
     * A leaving machine that could not be reached is tried again this often, not on every pass: each try
     * may wait out a connect timeout, and the machine is no longer a member.
     */
    static final Duration RETRY_FAILED = Duration.ofMinutes(1);

    private final HostActions machines;

    public RetireStep(HostActions machines) {
        this.machines = machines;
    }

    @Override
    public StepOutcome run(Pass pass) {
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
        List<MemberStatus> due = remaining.stream().filter(m -> RetiringMembers.RETIRING.equals(m.getPhase())
                && !failedRecently(m, pass.now())).toList();
        // Which members run now is what keeps a running member's machine from being stopped: unknown, wait.
        if (due.isEmpty() || !pass.observed().etcd().available()) {
            return StepOutcome.next(Effects.ofRetiring(remaining, announcements));
        }
        boolean wipe = pass.cluster().getSpec().getDeletionPolicy() == DeletionPolicy.Wipe;
        List<HostResult> done = machines.retire(pass.hosts(), pass.cluster().getMetadata().getUid(), due.stream()
                .map(m -> new Retiree(RetiringMembers.machine(m), Optional.ofNullable(m.getId()), List.copyOf(current)))
                .toList(), wipe);
        for (int i = 0; i < due.size(); i++) {
            MemberStatus m = due.get(i);
            HostResult r = done.get(i);
            if (r.failure().map(f -> f.reason() == FailureReason.NotOwned).orElse(false)) {
                remaining.remove(m);
                announcements.add(new Announcement(EventReason.MachineNotOwned, "left " + m.getName() + " ("
                        + m.getAddress() + ") untouched: " + r.failure().get().message()));
            } else if (r.failure().isPresent()) {
                m.setLastProbeTime(pass.now().truncatedTo(ChronoUnit.SECONDS).toString());
                m.setMessage("stopping its service failed: " + r.failure().get().message() + "; retried every "
                        + RETRY_FAILED.toMinutes() + " min");
            } else {
                remaining.remove(m);
                announcements.add(new Announcement(EventReason.MemberRetired, "stopped etcd on " + m.getName()
                        + " (" + m.getAddress() + ")" + (wipe ? " and wiped it" : "")));
            }
        }
        return StepOutcome.next(Effects.ofRetiring(remaining, announcements));
    }

    private static boolean failedRecently(MemberStatus m, Instant now) {
        return m.getLastProbeTime() != null && Instant.parse(m.getLastProbeTime()).plus(RETRY_FAILED).isAfter(now);
    }
}
