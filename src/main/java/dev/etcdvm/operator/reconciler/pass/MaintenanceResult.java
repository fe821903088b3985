package dev.etcdvm.operator.reconciler.pass;

import dev.etcdvm.operator.api.v1alpha1.MaintenanceStatus;
import java.util.Optional;

/**
 * What the maintenance step came to.
 *
 * @param next status.maintenance after it (null when nothing was ever maintained)
 * @param done what was done in etcd this pass, if anything
 * @param waiting why a round under way did nothing this pass
 * @param failed why what it tried failed (retried on a later pass)
 */
public record MaintenanceResult(MaintenanceStatus next, Optional<String> done, Optional<String> waiting,
        Optional<String> failed) {

    /** A round under way, e.g. "NoSpace", as the status after this pass says. */
    public Optional<String> round() {
        return Optional.ofNullable(next).map(MaintenanceStatus::getRound);
    }
}
