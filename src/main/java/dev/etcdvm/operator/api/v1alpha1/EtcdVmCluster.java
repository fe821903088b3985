package dev.etcdvm.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Optional;

/** An etcd cluster that the operator runs on the external machines its spec lists. */
@Group(EtcdVmCluster.GROUP)
@Version(EtcdVmCluster.VERSION)
@Plural("etcdvmclusters")
@ShortNames("evc")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyMembers", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class EtcdVmCluster extends CustomResource<EtcdVmClusterSpec, EtcdVmClusterStatus> implements Namespaced {
    public static final String GROUP = "etcdvm.dev";
    public static final String VERSION = "v1alpha1";
    /** "true" pauses the cluster like spec.paused, without editing the spec (e.g. during an incident). */
    public static final String PAUSED_ANNOTATION = GROUP + "/paused";
    /** "true" lets a deletion finish although some machines could not be cleaned up. */
    public static final String FORCE_DELETE_ANNOTATION = GROUP + "/force-delete";
    /**
     * Any new value resumes a cluster frozen with DataLossDetected, accepting what is left (a value is
     * acted on once: a later loss needs another value).
     */
    public static final String ACCEPT_DATA_LOSS_ANNOTATION = GROUP + "/accept-data-loss";

    /**
     * Any new value replaces the cluster's generated CA with a new one, rotated in without downtime (a value is
     * acted on once). A CA of your own is rotated by putting the new one in its Secret instead.
     */
    public static final String ROTATE_CA_ANNOTATION = GROUP + "/rotate-ca";

    /**
     * Any new value takes a snapshot now (when spec.backup is set); a value is acted on once, so a later
     * snapshot needs another value, e.g. a timestamp.
     */
    public static final String BACKUP_NOW_ANNOTATION = GROUP + "/backup-now";

    /** The backup-now annotation's value, when set and not acted on yet. */
    public Optional<String> newBackupRequest() {
        String value = annotation(BACKUP_NOW_ANNOTATION);
        String acted = getStatus() == null || getStatus().getBackup() == null ? null
                : getStatus().getBackup().getLastRequest();
        return value == null || value.isBlank() || value.equals(acted) ? Optional.empty() : Optional.of(value);
    }

    /** Any new value runs a restore drill on the newest snapshot now (when spec.backup is set); acted on once. */
    public static final String VERIFY_NOW_ANNOTATION = GROUP + "/verify-backup-now";

    /** The verify-backup-now annotation's value, when set and not acted on yet. */
    public Optional<String> newVerifyRequest() {
        String value = annotation(VERIFY_NOW_ANNOTATION);
        String acted = getStatus() == null || getStatus().getBackup() == null ? null
                : getStatus().getBackup().getLastVerifyRequest();
        return value == null || value.isBlank() || value.equals(acted) ? Optional.empty() : Optional.of(value);
    }

    /**
     * After a declared quorum loss, chooses the way out for that loss: "survivor@<loss id>" (the most advanced
     * surviving member's data) or "snapshot@<loss id>" (the newest snapshot in the store), followed by
     * ";unreachable=<member>,..." naming every other voter that cannot be reached, to give it up. Acted on once.
     */
    public static final String RECOVER_QUORUM_ANNOTATION = GROUP + "/recover-quorum";

    /** The recover-quorum annotation's value, when set and not acted on yet. */
    public Optional<String> newRecoveryRequest() {
        String value = annotation(RECOVER_QUORUM_ANNOTATION);
        EtcdVmClusterStatus status = getStatus();
        boolean acted = status != null && (status.getQuorumLoss() != null && status.getQuorumLoss().getRecovery() != null
                && value != null && value.equals(status.getQuorumLoss().getRecovery().getRequest())
                || status.getLastRecovery() != null && value != null && value.equals(status.getLastRecovery().getRequest()));
        return value == null || value.isBlank() || acted ? Optional.empty() : Optional.of(value);
    }

    /** The rotate-ca annotation's value, if set. */
    public Optional<String> caRotationRequest() {
        return Optional.ofNullable(annotation(ROTATE_CA_ANNOTATION)).filter(v -> !v.isBlank());
    }

    /** Whether the operator must change nothing, by spec or by annotation. */
    public boolean paused() {
        return getSpec().isPaused() || "true".equals(annotation(PAUSED_ANNOTATION));
    }

    public boolean forceDelete() {
        return "true".equals(annotation(FORCE_DELETE_ANNOTATION));
    }

    /** The accept-data-loss annotation's value, when set and not acted on yet. */
    public Optional<String> newDataLossAcceptance() {
        String value = annotation(ACCEPT_DATA_LOSS_ANNOTATION);
        String acted = getStatus() == null ? null : getStatus().getAcceptedDataLoss();
        return value == null || value.isBlank() || value.equals(acted) ? Optional.empty()
                : Optional.of(value);
    }

    private String annotation(String name) {
        return getMetadata().getAnnotations() == null ? null : getMetadata().getAnnotations().get(name);
    }
}
