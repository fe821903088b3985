package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a recovery recorded in status may be carried on. Status is a record anyone allowed to patch status can
 * edit, so it is never the authority: the choice must still be the one the annotation makes (annotations need the
 * right to update the resource itself), and the record must carry this operator's seal over all of its fields.
 */
final class RecordTrust {
    private RecordTrust() {
    }

    /** Why the record is not trusted, naming the field; empty when it is. */
    static Optional<String> problem(EtcdVmCluster cluster, RecoveryRecord recorded, RecordSeal seal) {
        String annotation = Optional.ofNullable(cluster.getMetadata().getAnnotations())
                .map(a -> a.get(EtcdVmCluster.RECOVER_QUORUM_ANNOTATION)).orElse(null);
        if (!Objects.equals(annotation, recorded.getRequest())) {
            return Optional.of("status.quorumLoss.recovery.request (" + recorded.getRequest() + ") is not the choice"
                    + " annotation " + EtcdVmCluster.RECOVER_QUORUM_ANNOTATION + " makes ("
                    + (annotation == null ? "not set" : annotation) + "): a recovery goes on only while the annotation"
                    + " that chose it stays");
        }
        if (!seal.holds(recorded)) {
            return Optional.of("status.quorumLoss.recovery does not carry this operator's seal (it was edited, or"
                    + " written by someone else)");
        }
        return Optional.empty();
    }
}
