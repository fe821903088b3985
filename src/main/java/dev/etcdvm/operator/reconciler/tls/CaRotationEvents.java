package dev.etcdvm.operator.reconciler.tls;

import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;

/** The Event telling users a CA rotation moved on. */
public final class CaRotationEvents {
    private CaRotationEvents() {
    }

    public static Announcement of(ClusterCertificates.Advanced advanced) {
        if (advanced.to() == CaRotation.Phase.None) {
            return new Announcement(EventReason.CaRotationCompleted, "CA rotation completed: every member trusts"
                    + " only the new CA and holds certificates it issued");
        }
        return new Announcement(EventReason.CaRotationPhase, "CA rotation " + advanced.to().description());
    }
}
