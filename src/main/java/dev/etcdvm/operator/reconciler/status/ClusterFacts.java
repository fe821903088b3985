package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.MaintenanceResult;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.util.List;
import java.util.Optional;

/**
 * The facts a pass ends with, from which every condition and the phase follow. Immutable and free of
 * I/O, so each checker is a table test over these.
 *
 * @param violations why the spec is invalid (nothing else was looked at), or the spec changes a FREEZE refuses
 * @param mode the pass's decision, with its reason and message
 * @param total members the spec asks for
 * @param healthyVoters healthy voting members among them
 * @param formed the cluster exists (a cluster id was recorded or answered)
 * @param settled the membership is the spec's: nothing joining, nothing leaving
 * @param alarms what holds changes back: active alarms, or that their state is unknown
 * @param alarmReason the condition reason for {@code alarms}
 * @param sickVoters unhealthy voting members, each as "name (phase: message)"
 * @param etcdError why etcd could not be asked at all, when it could not
 * @param membership what the membership step came to
 * @param acted a machine or the membership was changed this pass
 * @param failures actions on machines that failed this pass
 * @param unreachable machines that could not be logged in to or probed
 * @param hosts machines probed
 * @param notHealthy members that are not healthy, each as "name (phase)"
 * @param rollout a planned rolling restart under way, if any
 * @param certificateProblem why a certificate or CA inside its renewal window cannot be renewed, if one cannot
 * @param backup where backups stand, when spec.backup asks for them
 * @param dataLossPossible what a quorum-loss recovery may have lost, until the user acknowledges it
 * @param maintenance what the maintenance step came to, when it ran
 * @param unmarkedVoters healthy voters whose data has no recorded identity yet: a loss of it could not be told
 */
public record ClusterFacts(List<SpecViolation> violations, Decision.Mode mode, String decisionReason,
        String decisionMessage, int total, long healthyVoters, boolean formed, boolean settled, List<String> alarms,
        String alarmReason, List<String> sickVoters, Optional<String> etcdError, MembershipResult membership,
        boolean acted, List<Failure> failures, List<HostObservation> unreachable, int hosts, List<String> notHealthy,
        Rollout rollout, Optional<String> certificateProblem, Optional<BackupFacts> backup,
        Optional<String> dataLossPossible, Optional<MaintenanceResult> maintenance, List<String> unmarkedVoters) {

    public static ClusterFacts invalid(List<SpecViolation> violations) {
        return new ClusterFacts(List.copyOf(violations), Decision.Mode.WAIT, ConditionReason.InvalidSpec.name(), "", 0, 0, false, false,
                List.of(), "", List.of(), Optional.empty(), MembershipResult.settled(), false, List.of(), List.of(), 0,
                List.of(), Rollout.NONE, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    public boolean specInvalid() {
        return !violations.isEmpty();
    }

    /** The spec was refused before anything was observed; a refused change still saw the cluster. */
    public boolean observedNothing() {
        return specInvalid() && !frozen();
    }

    public boolean frozen() {
        return mode == Decision.Mode.FREEZE;
    }

    /**
     * Every member healthy and voting (or coming back on schedule from a planned restart while a quorum
     * serves), no alarm, nothing frozen, no rollout halted.
     */
    public boolean ready() {
        return servesAsSpecified() && dataLossPossible.isEmpty() && unmarkedVoters.isEmpty();
    }

    /** Ready but for a possible data loss nobody acknowledged yet. */
    boolean servesAsSpecified() {
        boolean serving = healthyVoters + rollout.restarting().size() == total
                && healthyVoters >= MemberMatch.quorum(total);
        return !specInvalid() && serving && settled && alarms.isEmpty() && !frozen() && !rollout.halted()
                && mode != Decision.Mode.RECOVER;
    }

    /**
     * The cluster serves, but not as it should: a voter is sick, a rollout halted, an alarm is raised, or
     * etcd is silent.
     */
    public boolean degraded() {
        return formed && (!sickVoters.isEmpty() || rollout.halted() || !alarms.isEmpty() || etcdError.isPresent());
    }

    /** etcd is silent with no failure of ours explaining it. */
    boolean etcdSilent() {
        return formed && etcdError.isPresent() && failures.isEmpty() && mode != Decision.Mode.WAIT;
    }

    /** The most telling reason the cluster is not as it should be. */
    String problemReason() {
        return !alarms.isEmpty() ? alarmReason : rollout.halted() ? ConditionReason.RolloutStalled.name() : !sickVoters.isEmpty() ? ConditionReason.MembersUnhealthy.name()
                : etcdSilent() ? ConditionReason.EtcdUnavailable.name() : notReadyReason();
    }

    String problem() {
        return !alarms.isEmpty() ? "active etcd alarms: " + String.join(", ", alarms)
                : rollout.halted() ? "rollout halted, nothing more is restarted: " + String.join(", ", rollout.stalled())
                : !sickVoters.isEmpty() ? "voting members not healthy: " + String.join(", ", sickVoters)
                : etcdSilent() ? etcdError.orElse("etcd does not answer")
                : notReadyMessage(true);
    }

    String notReadyReason() {
        if (!failures.isEmpty()) {
            return failures.get(0).conditionReason();
        }
        return mode == Decision.Mode.WAIT ? decisionReason : ConditionReason.MembersNotHealthy.name();
    }

    String notReadyMessage(boolean listMembers) {
        if (!failures.isEmpty()) {
            return String.join("; ", failures.stream()
                    .map(f -> f.member().map(m -> m + ": ").orElse("") + f.message()).toList());
        }
        if (mode == Decision.Mode.WAIT) {
            return decisionMessage;
        }
        return "not healthy: " + (listMembers ? String.join(", ", notHealthy) : "");
    }
}
