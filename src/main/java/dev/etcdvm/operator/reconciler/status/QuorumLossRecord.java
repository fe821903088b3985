package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import dev.etcdvm.operator.reconciler.decide.DataLoss;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.QuorumRecovery;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps status.quorumLoss and status.lastRecovery: an outage while it lasts, a chosen recovery until it took hold
 * (never dropped by a pass that decided something else, such as a freeze), and what a finished recovery may have
 * lost until the user acknowledges it.
 */
final class QuorumLossRecord {
    private QuorumLossRecord() {
    }

    static void record(Decision decision, ObservedCluster observed, StatusDraft draft) {
        EtcdVmClusterStatus previous = draft.previous();
        EtcdVmClusterStatus next = draft.next();
        Optional<QuorumLossStatus> kept = Optional.ofNullable(previous.getQuorumLoss()).filter(q -> q.getRecovery() != null);
        if (decision.recovered().isPresent()) {
            RecoveryRecord done = decision.recovered().get();
            next.setQuorumLoss(null);
            next.setLastRecovery(done);
            // The new cluster's raft log starts again; its revision was moved forward by the restore.
            next.setHighestRaftIndex(DataLoss.leaderIndex(observed).orElse(null));
            next.setHighestRevision(QuorumRecovery.leaderRevision(observed).orElse(null));
            draft.announce(EventReason.QuorumRecovered, "the quorum was recovered on " + done.getSeed()
                    + ": new cluster id " + done.getNewClusterId() + " (was " + done.getFormerClusterId()
                    + "); the other members are added back as learners");
        } else {
            next.setQuorumLoss(decision.quorumLoss().or(() -> kept).orElse(null));
        }
        String refusal = next.getQuorumLoss() == null ? null : next.getQuorumLoss().getMessage();
        String before = previous.getQuorumLoss() == null ? null : previous.getQuorumLoss().getMessage();
        if (refusal != null && !Objects.equals(refusal, before)) {
            draft.announce(EventReason.QuorumRecoveryRefused, refusal);
        }
        decision.acceptedDataLoss().filter(v -> next.getLastRecovery() != null
                && next.getLastRecovery().getAcknowledgedBy() == null)
                .ifPresent(v -> next.getLastRecovery().setAcknowledgedBy(v));
    }

    /** What the last recovery may have lost, while nobody acknowledged it. */
    static Optional<String> possibleLoss(EtcdVmClusterStatus status) {
        return Optional.ofNullable(status.getLastRecovery()).filter(r -> r.getAcknowledgedBy() == null)
                .map(QuorumRecovery::possibleLoss);
    }
}
