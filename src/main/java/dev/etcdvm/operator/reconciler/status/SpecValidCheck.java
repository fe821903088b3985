package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * SpecValid: False with every violation named (InvalidSpec, or SpecChangeRefused for a change the running
 * cluster cannot take), else True.
 */
public final class SpecValidCheck implements ConditionCheck {
    @Override
    public ConditionType type() {
        return ConditionType.SpecValid;
    }

    @Override
    public Optional<Verdict> check(ClusterFacts facts) {
        return Optional.of(facts.specInvalid()
                ? Verdict.isFalse(facts.decisionReason(), facts.violations().stream().map(SpecViolation::toString)
                        .collect(Collectors.joining("; ")))
                : Verdict.isTrue(ConditionReason.Valid.name(), "the spec is valid"));
    }
}
