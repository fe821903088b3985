package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.membership.JoinCheck;
import dev.etcdvm.operator.reconciler.membership.MembershipChange;
import dev.etcdvm.operator.reconciler.membership.MembershipResult;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.Conditions;
import dev.etcdvm.operator.reconciler.status.EventReason;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.steps.HostResult;
import dev.etcdvm.operator.reconciler.steps.MembershipActions;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the pass's one membership change, after the last checks that need this pass's results:
 * the joining machine was installed and its certificate covers it, and the spec is still the one the
 * decision was made on. The next pass re-reads the member list before another change.
 */
final class MembershipStep {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipStep.class);
    private final MembershipActions membership;
    private final Failpoints failpoints;

    MembershipStep(MembershipActions membership, Failpoints failpoints) {
        this.membership = membership;
        this.failpoints = failpoints;
    }

    MembershipResult run(EtcdVmCluster cluster, ClusterTls tls, Decision decision, Map<String, HostResult> results,
            StatusDraft draft, SpecFence fence) {
        MembershipChange change = decision.change();
        if (decision.mode() != Decision.Mode.CONVERGE || change instanceof MembershipChange.None) {
            return MembershipResult.settled();
        }
        if (change instanceof MembershipChange.Hold hold) {
            if (hold.refused() && !hold.message().equals(previousProgressingMessage(cluster))) {
                draft.announce(EventReason.MembershipChangeRefused, hold.message());
            }
            return MembershipResult.held(hold);
        }
        if (change instanceof MembershipChange.AddLearner add) {
            // Validate before MemberAdd: a voter with a wrong peer URL can break quorum for good.
            Optional<String> unfit = JoinCheck.problem(add, results.get(add.member().getName()), tls);
            if (unfit.isPresent()) {
                return MembershipResult.held(new MembershipChange.Hold("WaitingForHost", unfit.get(), false));
            }
        }
        if (fence.specChanged()) {
            return MembershipResult.held(new MembershipChange.Hold("SpecChanged",
                    "the spec changed while this pass observed; deciding again before " + change.describe(), false));
        }
        String done;
        try {
            done = membership.apply(cluster, tls, change);
        } catch (MembershipActions.MembershipException e) {
            if (e.temporary()) {
                LOG.info("{}", e.getMessage());
                return MembershipResult.held(new MembershipChange.Hold(e.reason(), e.getMessage(), false));
            }
            LOG.warn("{}", e.getMessage());
            draft.announce(EventReason.MembershipChangeFailed, e.getMessage());
            return MembershipResult.failed(e.reason(), e.getMessage());
        }
        LOG.info("{}", done);
        draft.announce(EventReason.MembershipChanged, done);
        failpoints.reached(failpointAfter(change));
        return MembershipResult.changed(done);
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
