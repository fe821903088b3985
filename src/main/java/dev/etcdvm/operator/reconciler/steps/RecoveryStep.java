package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.QuorumRestore;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.backup.SnapshotLocator;
import dev.etcdvm.operator.reconciler.backup.SnapshotSource;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.QuorumRecovery;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.FailureReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.machines.Retiree;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Carries out a chosen quorum-loss recovery, one safe step after another, and always ends the pass: nothing else
 * changes the cluster until the seed leads the new one.
 * <ol>
 *   <li>The choice is acted on only once status holds it (written by the pass that accepted it), so an operator
 *       restarted midway finishes the same recovery.</li>
 *   <li>With backups configured, the seed's data is snapshotted first (etcd streams a snapshot without a leader).</li>
 *   <li>Other machines still running an old member are stopped: they would answer with the old cluster id.</li>
 *   <li>The seed's machine proves it is this cluster's and holds the chosen member, sets its data aside and
 *       restores a one-member cluster (see scripts/recover.sh).</li>
 * </ol>
 * The planner then sees the seed lead under a new cluster id, and the others are added back as learners.
 */
public final class RecoveryStep implements Step {
    private final Backups backups;
    private final HostActions machines;

    public RecoveryStep(Backups backups, HostActions machines) {
        this.backups = backups;
        this.machines = machines;
    }

    @Override
    public StepOutcome run(Pass pass) {
        if (pass.decision().mode() != Decision.Mode.RECOVER) {
            return StepOutcome.nothingToDo();
        }
        RecoveryRecord recovery = pass.decision().quorumLoss().orElseThrow().getRecovery();
        if (!recorded(pass.cluster(), recovery)) {
            return StepOutcome.endPass(Effects.paced(Pace.SOON, List.of(new Announcement(
                    EventReason.QuorumRecoveryStarted, pass.decision().message() + "; recorded before any machine is"
                    + " touched"))));
        }
        Effects effects = Effects.NONE;
        String change = "quorum recovery " + recovery.getRequest();
        Optional<SnapshotSource> seedData = seedData(pass, recovery);
        if (seedData.isPresent() && SnapshotFirst.waiting(pass.cluster(), Optional.empty(), change)) {
            BackupAttempt attempt = backups.take(pass.cluster(), pass.tls(), seedData.get(), BackupTrigger.before(change),
                    pass.now());
            effects = Effects.ofBackup(attempt);
            if (!(attempt instanceof BackupAttempt.Taken)) {
                return StepOutcome.endPass(effects.plus(Effects.paced(Pace.PROBLEM, List.of())));
            }
        }
        List<Retiree> others = othersRunning(pass, recovery.getSeed());
        if (!others.isEmpty()) {
            List<HostResult> stopped = machines.retire(pass.hosts(), pass.cluster().getMetadata().getUid(), others, false);
            effects = effects.plus(Effects.ofHosts(stopped)).plus(Effects.paced(Pace.STEADY, notOwned(stopped)));
            if (stopped.stream().anyMatch(r -> r.failure().isPresent())) {
                return StepOutcome.endPass(effects); // the seed is left alone while an old member may still run
            }
        }
        MemberPlan seed = pass.decision().provision().get(recovery.getSeed());
        HostResult result;
        try {
            result = machines.recover(pass.hosts(), seed, restore(pass.cluster(), recovery));
        } catch (IllegalStateException e) {
            result = HostResult.failed(seed.member().getName(), Failure.of(Operation.HOST_RECOVER,
                    FailureReason.CommandFailed, seed.member().getName(), "snapshot " + recovery.getSnapshotKey()
                    + " cannot be had: " + e.getMessage()));
        }
        return StepOutcome.endPass(effects.plus(Effects.ofHosts(List.of(result)))
                .plus(Effects.paced(Pace.SOON, notOwned(List.of(result)))));
    }

    /** Whether the status this pass started from already holds this choice. */
    private static boolean recorded(EtcdVmCluster cluster, RecoveryRecord recovery) {
        return Optional.ofNullable(cluster.getStatus()).map(s -> s.getQuorumLoss()).map(QuorumLossStatus::getRecovery)
                .filter(r -> Objects.equals(r.getRequest(), recovery.getRequest())).isPresent();
    }

    /** The seed's member, still answering with the former cluster's data: what is snapshotted first. */
    private static Optional<SnapshotSource> seedData(Pass pass, RecoveryRecord recovery) {
        if (pass.cluster().getSpec().getBackup() == null
                || !pass.observed().etcd().clusterId().filter(recovery.getFormerClusterId()::equals).isPresent()) {
            return Optional.empty();
        }
        return pass.observed().etcd().members().stream()
                .filter(m -> recovery.getSeed().equals(m.name()) && m.revision() != null && !m.clientUrls().isEmpty())
                .findFirst().map(m -> new SnapshotSource(m.name(), m.clientUrls().get(0), m.version()));
    }

    /** Other machines of this cluster holding member data with etcd running or enabled to start at boot. */
    private static List<Retiree> othersRunning(Pass pass, String seed) {
        String uid = pass.cluster().getMetadata().getUid();
        List<Retiree> others = new ArrayList<>();
        for (MemberSpec member : pass.cluster().getSpec().getMembers()) {
            Optional<HostFacts> facts = pass.observed().host(member.getName()).flatMap(HostObservation::facts);
            if (!member.getName().equals(seed) && facts.isPresent() && facts.get().marker().filter(uid::equals).isPresent()
                    && facts.get().hasMemberData() && (facts.get().serviceActive() || facts.get().serviceEnabled())) {
                others.add(new Retiree(member, facts.get().memberId(), List.of()));
            }
        }
        return others;
    }

    private QuorumRestore restore(EtcdVmCluster cluster, RecoveryRecord recovery) {
        Optional<SnapshotRestore> snapshot = QuorumRecovery.SNAPSHOT.equals(recovery.getSource())
                ? Optional.of(backups.byKey(cluster, recovery.getSnapshotKey())) : Optional.empty();
        return new QuorumRestore(Optional.ofNullable(recovery.getSeedMemberId()),
                QuorumRecovery.archiveStamp(Instant.parse(recovery.getStartedAt())),
                recovery.getToken(), snapshot, SnapshotLocator.REVISION_BUMP);
    }

    private static List<Announcement> notOwned(List<HostResult> results) {
        return results.stream().filter(r -> r.failure().map(f -> f.reason() == FailureReason.NotOwned).orElse(false))
                .map(r -> new Announcement(EventReason.MachineNotOwned, "quorum recovery left " + r.member()
                        + " untouched: " + r.failure().get().message()))
                .toList();
    }
}
