package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.Optional;

/** Degraded: the cluster formed but a voter is sick, an alarm is raised, etcd is silent, or it is frozen. */
public final class DegradedCheck implements ConditionCheck {
    @Override
    public ConditionType type() {
        return ConditionType.Degraded;
    }

    @Override
    public Optional<Verdict> check(ClusterFacts f) {
        if (f.observedNothing()) {
            return Optional.empty();
        }
        if (f.frozen() && !f.specInvalid()) { // a refused spec change leaves the cluster as healthy as it was
            return Optional.of(Verdict.isTrue(f.decisionReason(), f.decisionMessage()));
        }
        if (f.degraded()) {
            return Optional.of(Verdict.isTrue(f.problemReason(), f.problem()));
        }
        return Optional.of(f.formed() ? Verdict.isFalse(ConditionReason.VotersHealthy.name(), "every voting member is healthy")
                : Verdict.isFalse(ConditionReason.NotFormed.name(), "the cluster has not formed yet"));
    }
}
