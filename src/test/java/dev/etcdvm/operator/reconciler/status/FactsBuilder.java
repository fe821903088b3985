package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.MaintenanceStatus;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.MaintenanceResult;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.util.List;
import java.util.Optional;

/** Rows of the checkers' tables: a formed, healthy 3-member cluster, changed one fact at a time. */
final class FactsBuilder {
    private List<SpecViolation> violations = List.of();
    private Decision.Mode mode = Decision.Mode.CONVERGE;
    private String decisionReason = "Converging";
    private String decisionMessage = "membership matches the spec";
    private int total = 3;
    private long healthy = 3;
    private boolean formed = true;
    private boolean settled = true;
    private List<String> alarms = List.of();
    private String alarmReason = "AlarmActive";
    private List<String> sick = List.of();
    private Optional<String> etcdError = Optional.empty();
    private MembershipResult membership = MembershipResult.settled();
    private boolean acted;
    private List<Failure> failures = List.of();
    private List<HostObservation> unreachable = List.of();
    private List<String> notHealthy = List.of();
    private Rollout rollout = Rollout.NONE;
    private Optional<String> certificateProblem = Optional.empty();
    private Optional<BackupFacts> backup = Optional.empty();
    private Optional<String> dataLossPossible = Optional.empty();
    private Optional<MaintenanceResult> maintenance = Optional.empty();
    private List<String> unmarked = List.of();

    static FactsBuilder healthy() {
        return new FactsBuilder();
    }

    /** A new cluster whose machines are being installed. */
    static FactsBuilder forming() {
        FactsBuilder b = new FactsBuilder();
        b.mode = Decision.Mode.BOOTSTRAP;
        b.formed = false;
        b.settled = false;
        b.healthy = 0;
        b.notHealthy = List.of("etcd-1 (Provisioning)", "etcd-2 (Provisioning)", "etcd-3 (Provisioning)");
        return b;
    }

    /** Refused before anything was observed, as a pass does with an invalid spec. */
    FactsBuilder invalid(String field, String message) {
        violations = List.of(SpecViolation.of(field, message));
        mode = Decision.Mode.WAIT;
        decisionReason = "InvalidSpec";
        decisionMessage = "";
        return this;
    }

    /** A change the running cluster cannot take: refused after observing it, which changes nothing. */
    FactsBuilder refusedChange(String field, String message) {
        violations = List.of(SpecViolation.of(field, message));
        mode = Decision.Mode.FREEZE;
        decisionReason = "SpecChangeRefused";
        decisionMessage = field + ": " + message;
        return this;
    }

    FactsBuilder decided(Decision.Mode mode, String reason, String message) {
        this.mode = mode;
        this.decisionReason = reason;
        this.decisionMessage = message;
        return this;
    }

    FactsBuilder sickVoter(String entry) {
        sick = List.of(entry);
        healthy = total - 1;
        notHealthy = List.of(entry.substring(0, entry.indexOf(' ')) + " (Unhealthy)");
        return this;
    }

    FactsBuilder alarm(String alarm, String reason) {
        alarms = List.of(alarm);
        alarmReason = reason;
        return this;
    }

    FactsBuilder etcdSilent(String error) {
        etcdError = Optional.of(error);
        healthy = 0;
        return this;
    }

    FactsBuilder joining(MembershipResult result) {
        settled = false;
        membership = result;
        return this;
    }

    FactsBuilder membership(MembershipResult result) {
        membership = result;
        return this;
    }

    FactsBuilder acted() {
        acted = true;
        return this;
    }

    FactsBuilder failed(String member, FailureReason reason, String message) {
        failures = List.of(Failure.of(Operation.HOST_PROVISION, reason, member, message));
        return this;
    }

    FactsBuilder unreachable(String member, FailureReason reason, String message) {
        unreachable = List.of(HostObservation.unreachable(member, "10.0.0.1", null,
                Failure.of(Operation.SSH_CONNECT, reason, member, message)));
        return this;
    }

    /** etcd-2 comes back from its planned restart (on schedule, or past the deadline). */
    FactsBuilder rollingRestart(String phase, boolean stalled) {
        healthy = total - 1;
        notHealthy = List.of("etcd-2 (" + (stalled ? "RestartStalled" : "Restarting") + ")");
        rollout = new Rollout(Optional.of(phase), stalled ? List.of() : List.of("etcd-2"),
                stalled ? List.of("etcd-2 (not serving 130 s after its planned restart)") : List.of());
        return this;
    }

    FactsBuilder caExpiring(String problem) {
        certificateProblem = Optional.of(problem);
        return this;
    }

    FactsBuilder backup(BackupFacts facts) {
        backup = Optional.of(facts);
        return this;
    }

    FactsBuilder unmarked(String... voters) {
        unmarked = List.of(voters);
        return this;
    }

    FactsBuilder dataLossPossible(String message) {
        dataLossPossible = Optional.of(message);
        return this;
    }

    /** The maintenance step came to this: a round ("NoSpace", ...) or none, and why it waits. */
    FactsBuilder maintenance(String round, String waiting) {
        MaintenanceStatus status = new MaintenanceStatus();
        status.setRound(round);
        maintenance = Optional.of(new MaintenanceResult(status, Optional.empty(), Optional.ofNullable(waiting),
                Optional.empty()));
        return this;
    }

    ClusterFacts build() {
        return new ClusterFacts(violations, mode, decisionReason, decisionMessage, total, healthy, formed, settled,
                alarms, alarmReason, sick, etcdError, membership, acted, failures, unreachable, total, notHealthy, rollout,
                certificateProblem, backup, dataLossPossible, maintenance, unmarked);
    }
}
