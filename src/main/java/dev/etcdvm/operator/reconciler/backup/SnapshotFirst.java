package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.tls.CaRotation;
import java.util.Optional;

/**
 * With backups configured, a risky change (a version change, a member's removal, a CA rotation) waits until a
 * snapshot taken for it is stored: the backup step takes it, the step that changes the cluster asks here. The
 * change is named, so a rollout spread over many passes needs one snapshot, and the next change another.
 */
public final class SnapshotFirst {
    private SnapshotFirst() {
    }

    public static String versionChange(String version) {
        return "version change to " + version;
    }

    public static String removal(String member) {
        return "removal of " + member;
    }

    public static String caRotation(String newCaNotAfter) {
        return "CA rotation to the CA valid until " + newCaNotAfter;
    }

    /** A rotation about to trust its new CA: the first of its phases that restarts members. */
    public static Optional<String> caRotationAhead(CaRotation rotation) {
        return rotation.phase() == CaRotation.Phase.Pending
                ? Optional.of(caRotation(rotation.caNotAfter().toString())) : Optional.empty();
    }

    /** Whether the change must wait for its snapshot: backups are configured and none was stored for it yet. */
    public static boolean waiting(EtcdVmCluster cluster, Optional<BackupAttempt> thisPass, String change) {
        if (cluster.getSpec().getBackup() == null) {
            return false;
        }
        boolean takenNow = thisPass.filter(a -> a instanceof BackupAttempt.Taken)
                .flatMap(a -> a.trigger().change()).filter(change::equals).isPresent();
        String recorded = cluster.getStatus() == null ? null
                : Optional.ofNullable(cluster.getStatus().getBackup()).map(BackupStatus::getBeforeChange).orElse(null);
        return !takenNow && !change.equals(recorded);
    }
}
