package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.backup.SnapshotLocator;
import dev.etcdvm.operator.reconciler.backup.SnapshotSource;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.QuorumRecovery;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.machines.Retiree;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chosen quorum-loss recovery, one safe step after another; nothing else is planned until the seed leads.
 * <ol>
 *   <li>The choice is acted on only once status holds it (written by the pass that accepted it), so an operator
 *       restarted midway finishes the same recovery.</li>
 *   <li>With backups configured, the seed's data is snapshotted first (etcd streams a snapshot without a leader).</li>
 *   <li>Other machines still running an old member are stopped: they would answer with the old cluster id.</li>
 *   <li>The seed's machine proves it is this cluster's and holds the chosen member, sets its data aside and
 *       restores a one-member cluster (see scripts/recover.sh).</li>
 * </ol>
 */
final class RecoveryRule implements PlanRule {

    @Override
    public void add(Pass pass, PlanDraft plan) {
        if (pass.decision().mode() != Decision.Mode.RECOVER) {
            return;
        }
        plan.close();
        RecoveryRecord recovery = pass.decision().quorumLoss().orElseThrow().getRecovery();
        if (!recorded(pass.cluster(), recovery)) {
            plan.report(Effects.paced(Pace.SOON, List.of(new Announcement(EventReason.QuorumRecoveryStarted,
                    pass.decision().message() + "; recorded before any machine is touched"))));
            return;
        }
        String change = "quorum recovery " + recovery.getRequest();
        List<Precondition> before = new ArrayList<>();
        Optional<SnapshotSource> seedData = seedData(pass, recovery);
        if (seedData.isPresent() && SnapshotFirst.waiting(pass.cluster(), Optional.empty(), change)) {
            plan.add(new Action.Snapshot(BackupTrigger.before(change), seedData.get()));
            before.add(new Precondition.SnapshotStored(change));
        }
        String uid = pass.cluster().getMetadata().getUid();
        List<Retiree> others = othersRunning(pass, recovery.getSeed());
        if (!others.isEmpty()) {
            plan.add(new Action.StopForRecovery(others, uid, before));
        }
        // A machine out of sight now that was not given up cannot be proven stopped: it holds the seed back too.
        List<String> mustBeStopped = new ArrayList<>(others.stream().map(r -> r.machine().getName()).toList());
        mustBeStopped.addAll(unreachableNotGivenUp(pass, recovery));
        if (!mustBeStopped.isEmpty()) {
            before.add(new Precondition.Stopped(mustBeStopped));
        }
        plan.add(new Action.Recover(pass.decision().provision().get(recovery.getSeed()),
                Optional.ofNullable(recovery.getSeedMemberId()),
                QuorumRecovery.archiveStamp(Instant.parse(recovery.getStartedAt())), recovery.getToken(),
                QuorumRecovery.SNAPSHOT.equals(recovery.getSource()) ? Optional.of(recovery.getSnapshotKey())
                        : Optional.empty(), SnapshotLocator.REVISION_BUMP, before));
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

    /** Other members whose machines do not answer this pass and that the choice did not give up by name. */
    private static List<String> unreachableNotGivenUp(Pass pass, RecoveryRecord recovery) {
        return pass.cluster().getSpec().getMembers().stream().map(MemberSpec::getName)
                .filter(name -> !name.equals(recovery.getSeed()) && !recovery.getGivenUp().contains(name)
                        && pass.observed().host(name).flatMap(HostObservation::facts).isEmpty())
                .toList();
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
}
