package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** HostsReachable: every machine accepted a login with a verified host key; else the first failure's reason. */
public final class HostsReachableCheck implements ConditionCheck {
    @Override
    public ConditionType type() {
        return ConditionType.HostsReachable;
    }

    @Override
    public Optional<Verdict> check(ClusterFacts facts) {
        if (facts.observedNothing()) {
            return Optional.empty();
        }
        List<HostObservation> unreachable = facts.unreachable();
        if (unreachable.isEmpty()) {
            return Optional.of(Verdict.isTrue(ConditionReason.AllReachable.name(),
                    "all " + facts.hosts() + " machines accepted an SSH login with a verified host key"));
        }
        return Optional.of(Verdict.isFalse(unreachable.get(0).failure().get().conditionReason(),
                unreachable.stream().map(h -> h.member() + " (" + h.address() + "): " + h.failure().get().message())
                        .collect(Collectors.joining("; "))));
    }
}
