package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.machines.Retiree;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stops (or wipes) the planned machines in parallel. An entry leaves status once its machine was stopped, or proved
 * not to be this cluster's (then nothing was touched there); a failed attempt stays, with when and why, as a new
 * entry: the plan's entries are never changed.
 */
public final class RetireExecutor implements Executor<Action.Retire> {
    private final HostActions machines;

    public RetireExecutor(HostActions machines) {
        this.machines = machines;
    }

    @Override
    public Class<Action.Retire> handles() {
        return Action.Retire.class;
    }

    @Override
    public Report execute(Action.Retire action, Target target) {
        List<Retiree> retirees = action.due().stream().map(m -> new Retiree(new MemberSpec(m.getName(),
                m.getAddress(), m.getSshPort()), Optional.ofNullable(m.getId()), action.currentMembers())).toList();
        List<HostResult> done = machines.retire(target.hosts(), action.clusterUid(), retirees, action.wipe());
        List<MemberStatus> remaining = new ArrayList<>(action.kept());
        List<Announcement> announcements = new ArrayList<>();
        for (int i = 0; i < action.due().size(); i++) {
            MemberStatus m = action.due().get(i);
            HostResult r = done.get(i);
            int at = remaining.indexOf(m);
            if (r.failure().map(f -> f.reason() == FailureReason.NotOwned).orElse(false)) {
                remaining.remove(at);
                announcements.add(new Announcement(EventReason.MachineNotOwned, "left " + m.getName() + " ("
                        + m.getAddress() + ") untouched: " + r.failure().get().message()));
            } else if (r.failure().isPresent()) {
                remaining.set(at, failedAttempt(m, target, r.failure().get().message()));
            } else {
                remaining.remove(at);
                announcements.add(new Announcement(EventReason.MemberRetired, "stopped etcd on " + m.getName()
                        + " (" + m.getAddress() + ")" + (action.wipe() ? " and wiped it" : "") + " (" + action.line()
                        + ")"));
            }
        }
        return new Report(Outcome.of(done, action.describe()), Effects.ofRetiring(remaining, announcements));
    }

    private static MemberStatus failedAttempt(MemberStatus entry, Target target, String why) {
        MemberStatus copy = new MemberStatus();
        copy.setName(entry.getName());
        copy.setAddress(entry.getAddress());
        copy.setSshPort(entry.getSshPort());
        copy.setId(entry.getId());
        copy.setPhase(entry.getPhase());
        copy.setLastProbeTime(target.now().truncatedTo(ChronoUnit.SECONDS).toString());
        copy.setMessage("stopping its service failed: " + why + "; retried every "
                + Action.Retire.RETRY_FAILED.toMinutes() + " min");
        return copy;
    }
}
