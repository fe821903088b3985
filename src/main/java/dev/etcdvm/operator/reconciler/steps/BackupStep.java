package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.BackupDue;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.backup.SnapshotSource;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.util.Comparator;
import java.util.Optional;

/**
 * Takes the snapshot that is due (backup-now annotation, a risky change ahead, the schedule) before anything
 * else changes the cluster.
 * It streams from a healthy follower when there is one, so the leader keeps its whole attention for writes. A
 * failed snapshot never holds the pass back: it is recorded and retried on its own backoff.
 */
public final class BackupStep implements Step {
    private final Backups backups;

    public BackupStep(Backups backups) {
        this.backups = backups;
    }

    @Override
    public StepOutcome run(Pass pass) {
        Optional<String> changeAhead = changeAhead(pass)
                .filter(c -> SnapshotFirst.waiting(pass.cluster(), Optional.empty(), c));
        Optional<BackupTrigger> due = BackupDue.now(pass.cluster(), pass.now(), changeAhead);
        if (due.isEmpty()) {
            return StepOutcome.nothingToDo();
        }
        BackupAttempt attempt = source(pass)
                .map(s -> backups.take(pass.cluster(), pass.tls(), s, due.get(), pass.now()))
                .orElseGet(() -> new BackupAttempt.Failed(due.get(), "EtcdUnavailable",
                        "no healthy voting member to take a snapshot from"));
        return StepOutcome.next(Effects.ofBackup(attempt));
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
