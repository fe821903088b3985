package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.pass.MaintenanceResult;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.Optional;

/**
 * Progressing: True while the operator is changing something or a change is on its way; False with the
 * reason when it cannot go on (invalid spec, frozen, paused, refused, failed) or has nothing to do.
 */
public final class ProgressingCheck implements ConditionCheck {
    @Override
    public ConditionType type() {
        return ConditionType.Progressing;
    }

    @Override
    public Optional<Verdict> check(ClusterFacts f) {
        MembershipResult membership = f.membership();
        if (f.frozen()) {
            return Optional.of(Verdict.isFalse(f.decisionReason(), f.decisionMessage()));
        }
        if (f.specInvalid()) {
            return Optional.of(Verdict.isFalse(ConditionReason.InvalidSpec.name(), "waiting for a valid spec"));
        }
        if (f.mode() == Decision.Mode.PAUSED) {
            return Optional.of(Verdict.isFalse(ConditionReason.Paused.name(), f.decisionMessage()));
        }
        if (f.rollout().halted()) {
            return Optional.of(Verdict.isFalse(ConditionReason.RolloutStalled.name(), f.problem()));
        }
        if (membership.refused() || membership.failed()) {
            return Optional.of(Verdict.isFalse(membership.reason(), membership.message()));
        }
        if (!f.failures().isEmpty() || f.mode() == Decision.Mode.WAIT) {
            return Optional.of(Verdict.isFalse(f.notReadyReason(), f.notReadyMessage(false)));
        }
        if (f.mode() == Decision.Mode.RECOVER) {
            return Optional.of(Verdict.isTrue(f.decisionReason(), f.decisionMessage()));
        }
        if (membership.done().isPresent() || (membership.waiting() && !f.settled())) {
            return Optional.of(Verdict.isTrue(membership.reason(), membership.message()));
        }
        if (f.rollout().underWay()) {
            return Optional.of(Verdict.isTrue(f.rollout().phase().get(), f.rollout().describe()));
        }
        Optional<MaintenanceResult> maintenance = f.maintenance()
                .filter(m -> m.round().isPresent() || m.waiting().isPresent());
        if (maintenance.isPresent() && maintenance.get().round().isEmpty()) {
            return Optional.of(Verdict.isFalse(ConditionReason.QuotaFull.name(), maintenance.get().waiting().get()));
        }
        if (maintenance.isPresent()) {
            MaintenanceResult m = maintenance.get();
            String what = m.failed().or(m::done).or(m::waiting).orElse("under way");
            return Optional.of(MaintenancePlanner.NO_SPACE.equals(m.round().get())
                    ? Verdict.isTrue(ConditionReason.RecoveringSpace.name(), "recovering from etcd's NOSPACE alarm (compact, defragment each"
                            + " member, disarm): " + what)
                    : Verdict.isTrue(ConditionReason.Defragmenting.name(), "defragmentation round (" + m.round().get() + "): " + what));
        }
        if (f.acted()) {
            return Optional.of(Verdict.isTrue(ConditionReason.Provisioning.name(), "machines were brought in line with the spec"));
        }
        return Optional.of(f.ready() ? Verdict.isFalse(ConditionReason.Stable.name(), "nothing to do")
                : Verdict.isFalse(ConditionReason.Waiting.name(), "waiting for members to become healthy"));
    }
}
