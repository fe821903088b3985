package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;

/** The one-word summary users see in {@code kubectl get}: the first rule that applies wins. */
public final class PhaseRule {
    private PhaseRule() {
    }

    public static ClusterPhase of(ClusterFacts f) {
        if (f.frozen() && ConditionReason.Unreachable.name().equals(f.decisionReason())) {
            // Seen from the minority side; the majority may serve: degraded as far as anyone can tell, not failed.
            return ClusterPhase.Degraded;
        }
        if (f.specInvalid() || f.frozen()) {
            return ClusterPhase.Failed;
        }
        if (f.mode() == Decision.Mode.RECOVER) {
            return ClusterPhase.Recovering;
        }
        if (f.rollout().halted()) {
            return ClusterPhase.Degraded;
        }
        if (f.ready()) {
            return f.rollout().underWay() ? ClusterPhase.valueOf(f.rollout().phase().get()) : ClusterPhase.Running;
        }
        if (f.servesAsSpecified() && !f.unmarkedVoters().isEmpty()) {
            // Serving, the last step of bringing a member up is still to come.
            return ClusterPhase.Provisioning;
        }
        if (f.degraded()) {
            return ClusterPhase.Degraded;
        }
        if (f.formed()) {
            return f.settled() ? ClusterPhase.Degraded : ClusterPhase.Reconfiguring;
        }
        return f.mode() == Decision.Mode.WAIT || !f.failures().isEmpty() ? ClusterPhase.Pending : ClusterPhase.Provisioning;
    }
}
