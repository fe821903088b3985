package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.BackupDue;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.backup.SnapshotSource;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.machines.DrillResult;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.util.Comparator;
import java.util.Optional;

/**
 * Takes the snapshot that is due (backup-now annotation, a risky change ahead, the schedule) before anything
 * else changes the cluster, or else runs a restore drill that is due; one of them per pass. Both use a healthy
 * follower when there is one, so the leader keeps its whole attention for writes. A failed snapshot never
 * holds the pass back: it is recorded and retried on its own backoff.
 */
public final class BackupStep implements Step {
    private final Backups backups;
    private final HostActions machines;

    public BackupStep(Backups backups, HostActions machines) {
        this.backups = backups;
        this.machines = machines;
    }

    @Override
    public StepOutcome run(Pass pass) {
        Optional<String> changeAhead = changeAhead(pass)
                .filter(c -> SnapshotFirst.waiting(pass.cluster(), Optional.empty(), c));
        Optional<BackupTrigger> due = BackupDue.now(pass.cluster(), pass.now(), changeAhead);
        if (due.isEmpty()) {
            return BackupDue.drill(pass.cluster(), pass.now())
                    .map(drill -> StepOutcome.next(Effects.ofBackup(drill(pass, drill))))
                    .orElseGet(StepOutcome::nothingToDo);
        }
        BackupAttempt attempt = source(pass)
                .map(s -> backups.take(pass.cluster(), pass.tls(), s, due.get(), pass.now()))
                .orElseGet(() -> new BackupAttempt.Failed(due.get(), "EtcdUnavailable",
                        "no healthy voting member to take a snapshot from"));
        return StepOutcome.next(Effects.ofBackup(attempt));
    }

    /** A restore drill of the cluster's newest snapshot, on the machine a snapshot would be streamed from. */
    private BackupAttempt drill(Pass pass, BackupTrigger trigger) {
        Optional<SnapshotSource> source = source(pass);
        Optional<MemberPlan> plan = source.map(s -> pass.decision().provision().get(s.member()));
        if (plan.isEmpty()) {
            return new BackupAttempt.Drilled(trigger, "", "", Optional.empty(),
                    Optional.of("no healthy member's machine to run the drill on"));
        }
        SnapshotRestore newest;
        try {
            newest = backups.newest(pass.cluster(), pass.now());
        } catch (IllegalStateException e) {
            return new BackupAttempt.Drilled(trigger, "", source.get().member(), Optional.empty(),
                    Optional.of(e.getMessage()));
        }
        DrillResult result = machines.checkSnapshot(pass.hosts(), plan.get(), newest);
        return new BackupAttempt.Drilled(trigger, newest.key(), source.get().member(), result.check(),
                result.failure().map(Failure::message));
    }

    /**
     * The risky change this pass or a later step of this rollout would make: a member running another version
     * than the spec's, a removal decided, a CA rotation about to begin.
     */
    static Optional<String> changeAhead(Pass pass) {
        String version = pass.cluster().getSpec().getVersion();
        if (pass.observed().etcd().members().stream().anyMatch(m -> m.version() != null && !m.version().equals(version))) {
            return Optional.of(SnapshotFirst.versionChange(version));
        }
        if (pass.decision().change() instanceof MembershipChange.Remove remove) {
            return Optional.of(SnapshotFirst.removal(remove.name()));
        }
        return SnapshotFirst.caRotationAhead(pass.tls().rotation());
    }

    /** A healthy voter that is not the leader if there is one, else the leader. */
    static Optional<SnapshotSource> source(Pass pass) {
        return pass.observed().etcd().members().stream()
                .filter(m -> m.healthy() && !m.learner() && !m.clientUrls().isEmpty())
                .min(Comparator.comparing(EtcdMemberView::leader).thenComparing(EtcdMemberView::name))
                .map(m -> new SnapshotSource(m.name(), m.clientUrls().get(0), m.version()));
    }
}
