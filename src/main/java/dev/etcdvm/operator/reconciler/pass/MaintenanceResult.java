package dev.etcdvm.operator.reconciler.pass;

import dev.etcdvm.operator.api.v1alpha1.MaintenanceStatus;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import java.util.List;
import java.util.Optional;

/**
 * What the maintenance action (or its rule, when nothing was due) came to.
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

    /** A pass in which maintenance waited: the round stays where it was, and one under way says why. */
    public static MaintenanceResult waiting(MaintenanceStatus before, String why) {
        return new MaintenanceResult(before, Optional.empty(), Optional.ofNullable(before)
                .map(MaintenanceStatus::getRound).map(r -> "maintenance waits: " + why), Optional.empty());
    }

    /** The Event of a round that ended between {@code before} and {@code next}, if one did. */
    public static List<Announcement> roundCompleted(MaintenanceStatus before, MaintenanceStatus next) {
        boolean completed = before != null && before.getRound() != null && (next == null || next.getRound() == null);
        return completed ? List.of(new Announcement(EventReason.MaintenanceCompleted, "defragmentation round ("
                + before.getRound() + ") completed")) : List.of();
    }
}
