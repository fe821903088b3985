package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What this pass will do.
 *
 * @param provision the machines to provision (all in parallel), each planned in its role
 * @param change the one membership change of this pass
 * @param reason a condition reason explaining a FREEZE, WAIT or PAUSED
 * @param replacementDue when the next member that lost its data becomes due for replacement, so a pass
 *     is scheduled then whatever the backoff says
 * @param acceptedDataLoss the accept-data-loss annotation value this pass acts on: a detected loss is
 *     accepted, and the recorded high-water mark starts again from what is left
 * @param refusedChanges spec changes that cannot be applied to the cluster as it runs (a FREEZE): the
 *     spec is reported invalid with these, and nothing changes until they are set back
 * @param quorumLoss a majority of voters seen out, with what each way out keeps (and a chosen recovery): kept in
 *     status while it lasts
 * @param recovered a quorum-loss recovery that took hold this pass, with the new cluster id
 */
public record Decision(Mode mode, Map<String, MemberPlan> provision, MembershipChange change, String reason,
        String message, Optional<Instant> replacementDue, Optional<String> acceptedDataLoss,
        List<SpecViolation> refusedChanges, Optional<QuorumLossStatus> quorumLoss, Optional<RecoveryRecord> recovered) {

    public Decision(Mode mode, Map<String, MemberPlan> provision, MembershipChange change, String reason,
            String message, Optional<Instant> replacementDue, Optional<String> acceptedDataLoss,
            List<SpecViolation> refusedChanges) {
        this(mode, provision, change, reason, message, replacementDue, acceptedDataLoss, refusedChanges,
                Optional.empty(), Optional.empty());
    }

    /** A decision that refuses no spec change. */
    public Decision(Mode mode, Map<String, MemberPlan> provision, MembershipChange change, String reason,
            String message, Optional<Instant> replacementDue, Optional<String> acceptedDataLoss) {
        this(mode, provision, change, reason, message, replacementDue, acceptedDataLoss, List.of());
    }

    public enum Mode {
        /** Something unsafe was seen (another cluster's id, foreign data): change nothing anywhere. */
        FREEZE,
        /** The user paused the cluster: observe and report, change nothing. */
        PAUSED,
        /** Not every machine is ready to form a new cluster; form it all at once or not at all. */
        WAIT,
        /** Form a new cluster: every member starts with initial-cluster-state=new. */
        BOOTSTRAP,
        /** The cluster exists: keep machines in shape, make at most one membership change, restart at most one member. */
        CONVERGE,
        /**
         * A chosen quorum-loss recovery: the seed alone is restored into a new one-member cluster; nothing else
         * changes until it leads.
         */
        RECOVER;

        /** Whether a pass in this mode may change anything on a machine or in etcd. */
        public boolean acts() {
            return this == BOOTSTRAP || this == CONVERGE || this == RECOVER;
        }
    }

    static Decision freeze(String reason, String message) {
        return new Decision(Mode.FREEZE, Map.of(), new MembershipChange.None(), reason, message, Optional.empty(),
                Optional.empty());
    }

    /** The spec asks for changes the running cluster cannot take: nothing is changed anywhere. */
    static Decision refuse(List<SpecViolation> refused) {
        return new Decision(Mode.FREEZE, Map.of(), new MembershipChange.None(), ConditionReason.SpecChangeRefused.name(),
                refused.stream().map(SpecViolation::toString).collect(Collectors.joining("; ")), Optional.empty(),
                Optional.empty(), List.copyOf(refused));
    }

    static Decision paused(String message) {
        return new Decision(Mode.PAUSED, Map.of(), new MembershipChange.None(), ConditionReason.Paused.name(), message, Optional.empty(),
                Optional.empty());
    }

    static Decision waitFor(String reason, String message) {
        return new Decision(Mode.WAIT, Map.of(), new MembershipChange.None(), reason, message, Optional.empty(),
                Optional.empty());
    }

    /** Recovers the quorum on the seed, whose plan this carries; see {@code RecoveryRule}. */
    static Decision recover(MemberPlan seed, QuorumLossStatus quorumLoss, String message) {
        return new Decision(Mode.RECOVER, Map.of(seed.member().getName(), seed), new MembershipChange.None(),
                ConditionReason.QuorumRecovering.name(), message, Optional.empty(), Optional.empty(), List.of(), Optional.of(quorumLoss),
                Optional.empty());
    }

    Decision acceptingDataLoss(String value) {
        return new Decision(mode, provision, change, reason, message, replacementDue, Optional.of(value), refusedChanges,
                quorumLoss, recovered);
    }

    Decision withQuorum(Optional<QuorumLossStatus> outage, Optional<RecoveryRecord> completed) {
        return new Decision(mode, provision, change, reason, message, replacementDue, acceptedDataLoss, refusedChanges,
                outage, completed);
    }
}
