package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.reconciler.membership.JoinCheck;
import dev.etcdvm.operator.reconciler.membership.MembershipChange;
import dev.etcdvm.operator.reconciler.membership.MembershipPlanner;
import dev.etcdvm.operator.reconciler.membership.MembershipResult;
import dev.etcdvm.operator.reconciler.membership.RetiringMembers;
import dev.etcdvm.operator.reconciler.status.EventReason;
import dev.etcdvm.operator.reconciler.steps.MembershipActions;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.pki.PkiException;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.status.ConditionStatus;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.Conditions;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.status.StatusRecorder;
import dev.etcdvm.operator.reconciler.steps.HostResult;
import dev.etcdvm.operator.reconciler.steps.HostActions;
import dev.etcdvm.operator.reconciler.tls.ClusterCertificates;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import dev.etcdvm.operator.reconciler.validation.SpecValidator;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Orchestrates one pass: validate, observe, decide, act, record. It keeps no state between passes:
 * what it needs is read again from the machines, from etcd and from status every time, so an
 * operator killed at any point picks up where the world is, not where it was.
 */
@ControllerConfiguration(name = EtcdVmClusterReconciler.NAME)
public class EtcdVmClusterReconciler implements Reconciler<EtcdVmCluster>, Cleaner<EtcdVmCluster> {
    public static final String NAME = "etcdvmcluster";
    private static final Logger LOG = LoggerFactory.getLogger(EtcdVmClusterReconciler.class);

    private final SpecValidator validator;
    private final ClusterCertificates certificates;
    private final ClusterObserver observer;
    private final HostActions provisioning;
    private final MembershipActions membership;
    private final StatusRecorder recorder;
    private final Failpoints failpoints;
    private final Duration resync;
    private final Clock clock;

    public EtcdVmClusterReconciler(SpecValidator validator, ClusterCertificates certificates, ClusterObserver observer,
            HostActions provisioning, MembershipActions membership, StatusRecorder recorder, Failpoints failpoints,
            Duration resync, Clock clock) {
        this.validator = validator;
        this.certificates = certificates;
        this.observer = observer;
        this.provisioning = provisioning;
        this.membership = membership;
        this.recorder = recorder;
        this.failpoints = failpoints;
        this.resync = resync;
        this.clock = clock;
    }

    @Override
    @SuppressWarnings("try") // the MDC entry lives exactly as long as the pass
    public UpdateControl<EtcdVmCluster> reconcile(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        try (var ignored = MDC.putCloseable("cluster",
                cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName())) {
            failpoints.reached(Failpoints.Point.PASS_START);
            StatusDraft draft = StatusDraft.startingFrom(cluster, clock);
            List<SpecViolation> violations = validator.validate(cluster);
            ClusterTls tls = null;
            if (violations.isEmpty()) {
                try {
                    tls = certificates.ensure(cluster);
                } catch (PkiException e) {
                    violations = List.of(new SpecViolation("spec.tls.caSecretRef", e.getMessage(), true));
                }
            }
            if (!violations.isEmpty()) {
                ClusterVerdicts.specInvalid(draft, violations);
                UpdateControl<EtcdVmCluster> control = recorder.record(cluster, draft, context);
                // A missing Secret is fixed without touching the resource: look again later by ourselves.
                return violations.stream().anyMatch(SpecViolation::external)
                        ? control.rescheduleAfter(resync.multipliedBy(4)) : control;
            }
            ClusterVerdicts.specValid(draft);
            return converge(cluster, tls, draft, new SpecFence(context, cluster));
        }
    }

    private UpdateControl<EtcdVmCluster> converge(EtcdVmCluster cluster, ClusterTls tls, StatusDraft draft,
            SpecFence fence) {
        Map<String, MemberPlan> plans = DesiredMembers.plans(cluster, tls);
        long started = System.nanoTime();
        ObservedCluster observed = observer.observe(cluster, tls);
        LOG.debug("observed in {} ms", (System.nanoTime() - started) / 1_000_000);
        Decision decision = ClusterPlanner.decide(cluster, observed, plans, draft.now());
        Map<String, HostResult> results = new HashMap<>();
        provisioning.provision(cluster, decision.provision(), observed).forEach(r -> results.put(r.member(), r));
        if (startedJoiner(decision, results)) {
            failpoints.reached(Failpoints.Point.AFTER_JOINER_START);
        }
        MembershipResult membership = changeMembership(cluster, tls, decision, results, draft, fence);
        if (membership.done().isEmpty()) {
            restartOneIfSafe(cluster, observed, decision, results);
        }
        List<MemberStatus> retiring = retire(cluster, observed, decision, draft);
        ClusterVerdicts.observed(draft, cluster, tls, observed, decision, results, membership, retiring);
        Duration next = nextLook(draft, results, membership);
        // A member whose machine lost its data is replaced on time, whatever the backoff says.
        Optional<Duration> replacement = MembershipPlanner.nextReplacement(cluster, observed)
                .map(due -> Duration.between(draft.now(), due)).map(d -> d.isNegative() ? Duration.ZERO : d);
        if (decision.mode() == Decision.Mode.CONVERGE && replacement.isPresent() && replacement.get().compareTo(next) < 0) {
            next = replacement.get().plus(Requeue.progressing(resync));
        }
        return recorder.record(cluster, draft, fence.context()).rescheduleAfter(next);
    }

    private static boolean startedJoiner(Decision decision, Map<String, HostResult> results) {
        return decision.provision().values().stream().filter(p -> p.role() == MemberRole.JOINER)
                .map(p -> results.get(p.member().getName()))
                .anyMatch(r -> r != null && r.outcome().map(HostOutcome::started).orElse(false));
    }

    /** At most one membership change per pass; the next pass re-reads the member list before another. */
    private MembershipResult changeMembership(EtcdVmCluster cluster, ClusterTls tls, Decision decision,
            Map<String, HostResult> results, StatusDraft draft, SpecFence fence) {
        MembershipChange change = decision.change();
        if (decision.mode() != Decision.Mode.CONVERGE || change instanceof MembershipChange.None) {
            return MembershipResult.settled();
        }
        if (change instanceof MembershipChange.Hold hold) {
            if (hold.refused() && !hold.message().equals(previousProgressingMessage(cluster))) {
                draft.announce(EventReason.MembershipChangeRefused, hold.message());
            }
            return MembershipResult.held(hold);
        }
        if (change instanceof MembershipChange.AddLearner add) {
            // Validate before MemberAdd: a voter with a wrong peer URL can break quorum for good.
            Optional<String> unfit = JoinCheck.problem(add, results.get(add.member().getName()), tls);
            if (unfit.isPresent()) {
                return MembershipResult.held(new MembershipChange.Hold("WaitingForHost", unfit.get(), false));
            }
        }
        if (fence.specChanged()) {
            return MembershipResult.held(new MembershipChange.Hold("SpecChanged",
                    "the spec changed while this pass observed; deciding again before " + change.describe(), false));
        }
        String done;
        try {
            done = membership.apply(cluster, tls, change);
        } catch (MembershipActions.MembershipException e) {
            if (e.temporary()) {
                LOG.info("{}", e.getMessage());
                return MembershipResult.held(new MembershipChange.Hold(e.reason(), e.getMessage(), false));
            }
            LOG.warn("{}", e.getMessage());
            draft.announce(EventReason.MembershipChangeFailed, e.getMessage());
            return MembershipResult.failed(e.reason(), e.getMessage());
        }
        LOG.info("{}", done);
        draft.announce(EventReason.MembershipChanged, done);
        failpoints.reached(failpointAfter(change));
        return MembershipResult.changed(done);
    }

    private static Failpoints.Point failpointAfter(MembershipChange change) {
        if (change instanceof MembershipChange.AddLearner) {
            return Failpoints.Point.AFTER_MEMBER_ADD;
        }
        if (change instanceof MembershipChange.Promote) {
            return Failpoints.Point.AFTER_PROMOTE;
        }
        return change instanceof MembershipChange.Remove ? Failpoints.Point.AFTER_MEMBER_REMOVE : null;
    }

    private static String previousProgressingMessage(EtcdVmCluster cluster) {
        return cluster.getStatus() == null ? null : Conditions.find(cluster.getStatus().getConditions(),
                ConditionType.Progressing).map(c -> c.getMessage()).orElse(null);
    }

    /**
     * Stops the service of machines etcd no longer lists (they would crash-loop as removed members);
     * with the Wipe policy their data goes too. Entries stay in status until that succeeded.
     */
    private List<MemberStatus> retire(EtcdVmCluster cluster, ObservedCluster observed, Decision decision,
            StatusDraft draft) {
        List<MemberStatus> leaving = RetiringMembers.of(cluster, observed.etcd());
        if (decision.mode() != Decision.Mode.CONVERGE) {
            return leaving;
        }
        List<MemberStatus> due = leaving.stream().filter(m -> RetiringMembers.RETIRING.equals(m.getPhase())).toList();
        List<HostResult> done = provisioning.retire(cluster, due.stream().map(RetiringMembers::machine).toList(),
                cluster.getSpec().getDeletionPolicy() == DeletionPolicy.Wipe);
        List<MemberStatus> remaining = new ArrayList<>(leaving);
        for (int i = 0; i < due.size(); i++) {
            MemberStatus m = due.get(i);
            HostResult r = done.get(i);
            if (r.failure().isPresent()) {
                m.setMessage("stopping its service failed: " + r.failure().get().message());
            } else {
                remaining.remove(m);
                draft.announce(EventReason.MemberRetired, "stopped etcd on " + m.getName() + " (" + m.getAddress()
                        + ")" + (cluster.getSpec().getDeletionPolicy() == DeletionPolicy.Wipe ? " and wiped it" : ""));
            }
        }
        return remaining;
    }

    /**
     * Members whose files changed under them restart one per pass, and only while every member is
     * healthy and the membership is the spec's, so a rolling change never costs quorum.
     */
    private void restartOneIfSafe(EtcdVmCluster cluster, ObservedCluster observed, Decision decision,
            Map<String, HostResult> results) {
        if (decision.mode() != Decision.Mode.CONVERGE || !(decision.change() instanceof MembershipChange.None)) {
            return;
        }
        boolean allHealthy = cluster.getSpec().getMembers().size() == observed.etcd().members().size()
                && observed.etcd().members().stream().allMatch(m -> m.healthy());
        Optional<MemberSpec> due = cluster.getSpec().getMembers().stream()
                .filter(m -> Optional.ofNullable(results.get(m.getName())).flatMap(HostResult::outcome)
                        .map(o -> o.restartPending()).orElse(false))
                .findFirst();
        if (allHealthy && due.isPresent()) {
            results.put(due.get().getName(), provisioning.restart(cluster, due.get()));
        }
    }

    private Duration nextLook(StatusDraft draft, Map<String, HostResult> results, MembershipResult membership) {
        boolean ready = Conditions.isTrue(draft.next().getConditions(), ConditionType.Ready);
        boolean progressing = Conditions.isTrue(draft.next().getConditions(), ConditionType.Progressing);
        if (membership.done().isPresent()) {
            return Requeue.progressing(resync);
        }
        if (progressing || results.values().stream().anyMatch(r -> r.outcome().map(o -> o.changedAnything()).orElse(false))) {
            return Requeue.progressing(resync);
        }
        if (ready) {
            return resync;
        }
        Instant since = Conditions.find(draft.next().getConditions(), ConditionType.Ready)
                .map(c -> Instant.parse(c.getLastTransitionTime())).orElse(draft.now());
        return Requeue.afterProblem(since, draft.now(), resync);
    }

    /** Status says why the resource is still there; best effort, the Event already said it. */
    private void reportBlockedDeletion(EtcdVmCluster cluster, Context<EtcdVmCluster> context, String message) {
        StatusDraft draft = StatusDraft.startingFrom(cluster, clock)
                .phase(ClusterPhase.Deleting)
                .condition(ConditionType.Ready, ConditionStatus.False, "CleanupBlocked", message)
                .condition(ConditionType.Progressing, ConditionStatus.False, "CleanupBlocked", message);
        if (draft.next().equals(cluster.getStatus())) {
            return;
        }
        try {
            context.getClient().resource(cluster).editStatus(latest -> {
                latest.setStatus(draft.next());
                return latest;
            });
        } catch (KubernetesClientException e) {
            LOG.debug("could not record the blocked deletion in status: {}", e.getMessage());
        }
    }

    /**
     * Applies spec.deletionPolicy. Retain (and a paused cluster) leaves etcd running and only stops
     * managing it. StopServices and Wipe reach every machine, including ones still leaving the cluster;
     * while any cannot be reached the finalizer stays and the deletion is retried, unless the user set
     * the force-delete annotation. Owned Secrets go with the resource through their owner references.
     */
    @Override
    public DeleteControl cleanup(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        failpoints.reached(Failpoints.Point.PASS_START);
        DeletionPolicy policy = cluster.getSpec().getDeletionPolicy();
        if (policy == DeletionPolicy.Retain || cluster.paused()) {
            observer.forget(cluster);
            recorder.announce(cluster, EventReason.CleanedUp, cluster.paused() && policy != DeletionPolicy.Retain
                    ? "deleted while paused: machines left as they are, deletion policy " + policy + " not applied"
                    : "deletion policy Retain: etcd keeps running on the machines, no longer managed");
            return DeleteControl.defaultDelete();
        }
        List<MemberSpec> machines = new ArrayList<>(cluster.getSpec().getMembers());
        if (cluster.getStatus() != null) {
            cluster.getStatus().getRetiringMembers().stream().map(RetiringMembers::machine).forEach(machines::add);
        }
        List<HostResult> failed = provisioning.retire(cluster, machines, policy == DeletionPolicy.Wipe).stream()
                .filter(r -> r.failure().isPresent()).toList();
        if (!failed.isEmpty() && !cluster.forceDelete()) {
            String message = "deletion policy " + policy + " could not be applied to " + failed.stream()
                    .map(r -> r.member() + " (" + r.failure().get().message() + ")").collect(Collectors.joining(", "))
                    + "; retrying. Annotate " + EtcdVmCluster.FORCE_DELETE_ANNOTATION + "=true to finish anyway";
            LOG.warn("{}", message);
            recorder.announce(cluster, EventReason.CleanupBlocked, message);
            reportBlockedDeletion(cluster, context, message);
            Instant since = Optional.ofNullable(cluster.getMetadata().getDeletionTimestamp()).map(Instant::parse)
                    .orElse(Instant.now(clock));
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Requeue.afterProblem(since, Instant.now(clock), resync));
        }
        observer.forget(cluster);
        recorder.announce(cluster, EventReason.CleanedUp, "deletion policy " + policy + " applied to "
                + (machines.size() - failed.size()) + " machines" + (failed.isEmpty() ? ""
                : "; forced past " + failed.stream().map(HostResult::member).collect(Collectors.joining(", "))));
        return DeleteControl.defaultDelete();
    }
}
