package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.BackupDue;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.backup.SnapshotSource;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.Comparator;
import java.util.Optional;

/**
 * The snapshot that is due (backup-now annotation, a risky change ahead, the schedule), planned before anything
 * else changes the cluster, or else a restore drill that is due; one of them per pass. Both use a healthy follower
 * when there is one, so the leader keeps its whole attention for writes.
 */
final class BackupRule implements PlanRule {

    @Override
    public void add(Pass pass, PlanDraft plan) {
        Optional<String> changeAhead = changeAhead(pass)
                .filter(c -> SnapshotFirst.waiting(pass.cluster(), Optional.empty(), c));
        Optional<BackupTrigger> due = BackupDue.now(pass.cluster(), pass.now(), changeAhead);
        Optional<SnapshotSource> source = source(pass);
        if (due.isPresent()) {
            if (source.isPresent()) {
                plan.add(new Action.Snapshot(due.get(), source.get()));
            } else {
                plan.report(Effects.ofBackup(new BackupAttempt.Failed(due.get(), ConditionReason.EtcdUnavailable.name(),
                        "no healthy voting member to take a snapshot from")));
            }
            return;
        }
        Optional<BackupTrigger> drill = BackupDue.drill(pass.cluster(), pass.now());
        if (drill.isEmpty()) {
            return;
        }
        Optional<MemberPlan> on = source.map(s -> pass.decision().provision().get(s.member()));
        if (on.isPresent()) {
            plan.add(new Action.Drill(drill.get(), on.get()));
        } else {
            plan.report(Effects.ofBackup(new BackupAttempt.Drilled(drill.get(), "", "", Optional.empty(),
                    Optional.of("no healthy member's machine to run the drill on"))));
        }
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
