package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.Optional;

/** CertificatesRenewable: False while a CA the operator cannot renew (the user's) is inside its renewal window. */
public final class CertificatesRenewableCheck implements ConditionCheck {
    @Override
    public ConditionType type() {
        return ConditionType.CertificatesRenewable;
    }

    @Override
    public Optional<Verdict> check(ClusterFacts f) {
        if (f.observedNothing()) {
            return Optional.empty(); // certificates were not looked at
        }
        return Optional.of(f.certificateProblem().map(p -> Verdict.isFalse(ConditionReason.CaExpiring.name(), p))
                .orElse(Verdict.isTrue(ConditionReason.Renewable.name(), "certificates are renewed before they expire, CAs included")));
    }
}
