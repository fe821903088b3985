package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.Optional;

/**
 * Ready: every member healthy and voting, no alarm, nothing frozen. While the membership is on its way to
 * the spec (and nothing else is wrong), the membership change says why it is not Ready yet.
 */
public final class ReadyCheck implements ConditionCheck {
    @Override
    public ConditionType type() {
        return ConditionType.Ready;
    }

    @Override
    public Optional<Verdict> check(ClusterFacts f) {
        if (f.frozen()) {
            return Optional.of(Verdict.isFalse(f.decisionReason(), f.decisionMessage()));
        }
        if (f.specInvalid()) {
            return Optional.of(Verdict.isFalse(ConditionReason.InvalidSpec.name(), "the spec is invalid; nothing was changed"));
        }
        if (f.mode() == Decision.Mode.RECOVER) {
            return Optional.of(f.failures().isEmpty() ? Verdict.isFalse(f.decisionReason(), f.decisionMessage())
                    : Verdict.isFalse(f.notReadyReason(), f.notReadyMessage(false)));
        }
        if (f.servesAsSpecified() && f.dataLossPossible().isPresent()) {
            return Optional.of(Verdict.isFalse(ConditionReason.DataLossPossible.name(), f.dataLossPossible().get()));
        }
        if (f.servesAsSpecified() && f.dataLossPossible().isEmpty() && !f.unmarkedVoters().isEmpty()) {
            return Optional.of(Verdict.isFalse(ConditionReason.DataIdentityPending.name(), "the data of "
                    + String.join(", ", f.unmarkedVoters()) + " is being marked with its identity, so that data emptied"
                    + " or replaced later is told apart from it (see DataLossDetected)"));
        }
        if (f.ready()) {
            return Optional.of(f.rollout().underWay()
                    ? Verdict.isTrue(ConditionReason.RolloutOnTrack.name(), "a quorum serves while " + f.rollout().describe())
                    : Verdict.isTrue(ConditionReason.AllMembersHealthy.name(), "all " + f.total() + " members are healthy"));
        }
        if (!f.settled() && f.formed() && f.alarms().isEmpty() && f.sickVoters().isEmpty() && f.failures().isEmpty()) {
            return Optional.of(Verdict.isFalse(f.membership().reason(), f.membership().message()));
        }
        return Optional.of(Verdict.isFalse(f.problemReason(), f.problem()));
    }
}
