package dev.etcdvm.operator.reconciler.status;

import java.util.List;
import java.util.Optional;

/** Decides one condition from the facts; empty leaves the condition as it was (nothing was learnt about it). */
public interface ConditionCheck {
    ConditionType type();

    Optional<Verdict> check(ClusterFacts facts);

    /** Every condition, in the order they are listed in status. */
    static List<ConditionCheck> all() {
        return List.of(new SpecValidCheck(), new HostsReachableCheck(), new ReadyCheck(), new DegradedCheck(),
                new ProgressingCheck(), new CertificatesRenewableCheck(), new BackupHealthyCheck(),
                new DataLossPossibleCheck());
    }
}
