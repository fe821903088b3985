package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.pki.PkiException;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.reconciler.membership.MembershipChange;
import dev.etcdvm.operator.reconciler.membership.MembershipPlanner;
import dev.etcdvm.operator.reconciler.membership.MembershipResult;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.Conditions;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.status.StatusRecorder;
import dev.etcdvm.operator.reconciler.steps.HostActions;
import dev.etcdvm.operator.reconciler.steps.HostResult;
import dev.etcdvm.operator.reconciler.steps.MembershipActions;
import dev.etcdvm.operator.reconciler.tls.ClusterCertificates;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import dev.etcdvm.operator.reconciler.validation.SpecValidator;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Orchestrates one pass: validate, observe, decide ({@link ClusterPlanner}), act (provision machines,
 * then {@link MembershipStep}, a restart, {@link Retirement}), record. It keeps no state between passes:
 * what it needs is read again from the machines, from etcd and from status every time, so an
 * operator killed at any point picks up where the world is, not where it was. Deletion is
 * {@link DeletionCleanup}.
 */
@ControllerConfiguration(name = EtcdVmClusterReconciler.NAME)
public class EtcdVmClusterReconciler implements Reconciler<EtcdVmCluster>, Cleaner<EtcdVmCluster> {
    public static final String NAME = "etcdvmcluster";
    private static final Logger LOG = LoggerFactory.getLogger(EtcdVmClusterReconciler.class);

    private final SpecValidator validator;
    private final ClusterCertificates certificates;
    private final ClusterObserver observer;
    private final HostActions provisioning;
    private final MembershipStep membership;
    private final Retirement retirement;
    private final DeletionCleanup deletion;
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
        this.membership = new MembershipStep(membership, failpoints);
        this.retirement = new Retirement(provisioning);
        this.deletion = new DeletionCleanup(observer, provisioning, recorder, resync, clock);
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
        MembershipResult membership = this.membership.run(cluster, tls, decision, results, draft, fence);
        if (membership.done().isEmpty()) {
            restartOneIfSafe(cluster, observed, decision, results);
        }
        List<MemberStatus> retiring = retirement.run(cluster, observed, decision, draft);
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

    /** Applies spec.deletionPolicy; see {@link DeletionCleanup}. */
    @Override
    public DeleteControl cleanup(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        failpoints.reached(Failpoints.Point.PASS_START);
        return deletion.run(cluster, context);
    }
}
