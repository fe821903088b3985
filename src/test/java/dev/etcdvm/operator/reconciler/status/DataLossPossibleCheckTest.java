package dev.etcdvm.operator.reconciler.status;

import static dev.etcdvm.operator.reconciler.status.FactsBuilder.healthy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import org.junit.jupiter.api.Test;

/** DataLossPossible: True with the revisions a recovery may have lost, until acknowledged; absent otherwise. */
class DataLossPossibleCheckTest {
    private final DataLossPossibleCheck check = new DataLossPossibleCheck();

    @Test
    void trueWithWhatMayBeMissingUntilAcknowledged() {
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        RecoveryRecord recovery = new RecoveryRecord();
        recovery.setSource("snapshot");
        recovery.setSnapshotKey("p/ns/c/uid/20261201T115000Z.db");
        recovery.setKeptRevision(300L);
        recovery.setHighestRevisionBefore(500L);
        status.setLastRecovery(recovery);
        Verdict verdict = check.check(healthy().dataLossPossible(QuorumLossRecord.possibleLoss(status).orElseThrow())
                .build()).orElseThrow();
        assertThat(verdict.status()).isEqualTo(ConditionStatus.True);
        assertThat(verdict.message()).contains("20261201T115000Z.db", "revisions 301 to 500", "accept-data-loss");

        recovery.setAcknowledgedBy("checked");
        assertThat(QuorumLossRecord.possibleLoss(status)).isEmpty();
    }

    @Test
    void absentWithoutARecovery() {
        assertThat(check.check(healthy().build())).isEmpty();
    }
}
