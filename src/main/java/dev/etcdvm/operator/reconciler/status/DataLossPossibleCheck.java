package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.Optional;

/**
 * DataLossPossible: True after a quorum-loss recovery, naming the revisions that may be missing, until the user
 * acknowledges it; absent otherwise.
 */
public final class DataLossPossibleCheck implements ConditionCheck {
    @Override
    public ConditionType type() {
        return ConditionType.DataLossPossible;
    }

    @Override
    public Optional<Verdict> check(ClusterFacts f) {
        return f.dataLossPossible().map(m -> Verdict.isTrue(ConditionReason.QuorumRecovered.name(), m));
    }
}
