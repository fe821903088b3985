package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.etcdapi.MembershipActions;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.failure.FailureReason;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the pass's one membership change, after the last checks that need this pass's results:
 * the joining machine was installed and its certificate covers it, and the spec is still the one the
 * decision was made on. The next pass re-reads the member list before another change.
 */
public final class MembershipStep implements Step {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipStep.class);
    private final MembershipActions membership;
    private final Failpoints failpoints;

    public MembershipStep(MembershipActions membership, Failpoints failpoints) {
        this.membership = membership;
        this.failpoints = failpoints;
    }

    @Override
    public StepOutcome run(Pass pass) {
        MembershipChange change = pass.decision().change();
        if (change instanceof MembershipChange.None) {
            return StepOutcome.nothingToDo();
        }
        if (change instanceof MembershipChange.Hold hold) {
            List<Announcement> announcements = hold.refused()
                    && !hold.message().equals(previousProgressingMessage(pass.cluster()))
                    ? List.of(new Announcement(EventReason.MembershipChangeRefused, hold.message())) : List.of();
            return held(pass, MembershipResult.held(hold), announcements);
        }
        if (change instanceof MembershipChange.AddLearner add) {
            // Validate before MemberAdd: a voter with a wrong peer URL can break quorum for good.
            Optional<String> unfit = JoinCheck.problem(add, pass.effects().hosts().get(add.member().getName()), pass.tls());
            if (unfit.isPresent()) {
                return held(pass, MembershipResult.held(new MembershipChange.Hold("WaitingForHost", unfit.get(), false)),
                        List.of());
            }
        }
        if (change instanceof MembershipChange.Remove remove && SnapshotFirst.waiting(pass.cluster(),
                pass.effects().backup(), SnapshotFirst.removal(remove.name()))) {
            // Looked at again when the backup step may retry, not at a membership change's pace.
            return StepOutcome.next(Effects.ofMembership(MembershipResult.held(new MembershipChange.Hold(
                    "WaitingForSnapshot", "a snapshot is stored before " + SnapshotFirst.removal(remove.name())
                            + " (see BackupHealthy)", false)), Pace.STEADY, List.of()));
        }
        Optional<MembershipChange.Hold> fenced = fence(pass, change);
        if (fenced.isPresent()) {
            return held(pass, MembershipResult.held(fenced.get()), List.of());
        }
        String done;
        try {
            done = membership.apply(pass.cluster(), pass.tls(), change);
        } catch (FailureException e) {
            Failure failure = e.failure();
            if (failure.reason() == FailureReason.EtcdNotReadyForChange) {
                LOG.info("{}", failure.message());
                return held(pass, MembershipResult.held(new MembershipChange.Hold(failure.conditionReason(),
                        failure.message(), false)), List.of());
            }
            LOG.warn("{}", failure.message());
            MembershipResult failed = MembershipResult.failed(failure.conditionReason(), failure.message());
            return StepOutcome.next(Effects.ofMembership(failed, Pace.PROBLEM,
                    List.of(new Announcement(EventReason.MembershipChangeFailed, failure.message()))));
        }
        LOG.info("{}", done);
        failpoints.reached(failpointAfter(change));
        return StepOutcome.next(Effects.ofMembership(MembershipResult.changed(done), Pace.SOON,
                List.of(new Announcement(EventReason.MembershipChanged, done))));
    }

    /** Why the change must wait for a fresh decision; an API server that cannot be asked is a reason too. */
    private static Optional<MembershipChange.Hold> fence(Pass pass, MembershipChange change) {
        try {
            return pass.fence().specChanged() ? Optional.of(new MembershipChange.Hold("SpecChanged",
                    "the spec changed while this pass observed; deciding again before " + change.describe(), false))
                    : Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.of(new MembershipChange.Hold(FailureReason.KubernetesApiError.name(),
                    "the resource could not be read again before " + change.describe() + ": " + e.getMessage(), false));
        }
    }

    /** A change that waits costs an early look only while the membership is still on its way to the spec. */
    private static StepOutcome held(Pass pass, MembershipResult result, List<Announcement> announcements) {
        Pace pace = result.refused() ? Pace.PROBLEM : pass.match().settled() ? Pace.STEADY : Pace.WAITING;
        return StepOutcome.next(Effects.ofMembership(result, pace, announcements));
    }

    private static Failpoints.Point failpointAfter(MembershipChange change) {
        if (change instanceof MembershipChange.AddLearner) {
            return Failpoints.Point.AFTER_MEMBER_ADD;
        }
        if (change instanceof MembershipChange.Promote) {
            return Failpoints.Point.AFTER_PROMOTE;
        }
        return change instanceof MembershipChange.Remove ? Failpoints.Point.AFTER_MEMBER_REMOVE : null;
    }

    private static String previousProgressingMessage(EtcdVmCluster cluster) {
        return cluster.getStatus() == null ? null : Conditions.find(cluster.getStatus().getConditions(),
                ConditionType.Progressing).map(c -> c.getMessage()).orElse(null);
    }
}
