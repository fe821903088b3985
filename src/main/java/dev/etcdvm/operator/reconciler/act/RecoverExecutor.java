package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.provision.QuorumRestore;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import dev.etcdvm.operator.reconciler.plan.Unmet;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import java.util.List;
import java.util.Optional;

/**
 * Restores the lost quorum on the seed (see scripts/recover.sh, which proves the marker and the member id before it
 * moves anything). While an earlier step of the recovery did not hold, the seed is left alone.
 */
public final class RecoverExecutor implements Executor<Action.Recover> {
    private final Backups backups;
    private final HostActions machines;

    public RecoverExecutor(Backups backups, HostActions machines) {
        this.backups = backups;
        this.machines = machines;
    }

    @Override
    public Class<Action.Recover> handles() {
        return Action.Recover.class;
    }

    @Override
    public Report execute(Action.Recover action, Target target) {
        String seed = action.seed().member().getName();
        HostResult result;
        try {
            Optional<SnapshotRestore> snapshot = action.snapshotKey().map(k -> backups.byKey(target.cluster(), k));
            result = machines.recover(target.hosts(), action.seed(), new QuorumRestore(action.seedMemberId(),
                    action.archiveStamp(), action.token(), snapshot, action.bumpRevisionBy()));
        } catch (IllegalStateException e) {
            result = HostResult.failed(seed, Failure.of(Operation.HOST_RECOVER, FailureReason.CommandFailed, seed,
                    "snapshot " + action.snapshotKey().orElse("") + " cannot be had: " + e.getMessage()));
        }
        return new Report(Outcome.of(List.of(result), action.describe()), Effects.ofHosts(List.of(result))
                .plus(Effects.paced(Pace.SOON, notOwned(List.of(result), action.line()))));
    }

    /** The seed is left alone: the pass looks again with backoff. */
    @Override
    public Report notNow(Action.Recover action, Unmet unmet) {
        return new Report(new Outcome.Waiting(unmet.reason(), unmet.message()), Effects.paced(Pace.PROBLEM, List.of()));
    }

    static List<Announcement> notOwned(List<HostResult> results, String action) {
        return results.stream().filter(r -> r.failure().map(f -> f.reason() == FailureReason.NotOwned).orElse(false))
                .map(r -> new Announcement(EventReason.MachineNotOwned, "quorum recovery left " + r.member()
                        + " untouched: " + r.failure().get().message() + " (" + action + ")"))
                .toList();
    }
}
