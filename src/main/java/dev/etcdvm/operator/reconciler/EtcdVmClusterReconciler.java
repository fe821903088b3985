package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.pki.PkiException;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
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
import org.slf4j.MDC;

/**
 * Orchestrates one pass: validate, observe, decide, act, record. It keeps no state between passes:
 * what it needs is read again from the machines, from etcd and from status every time, so an
 * operator killed at any point picks up where the world is, not where it was.
 */
@ControllerConfiguration(name = EtcdVmClusterReconciler.NAME)
public class EtcdVmClusterReconciler implements Reconciler<EtcdVmCluster>, Cleaner<EtcdVmCluster> {
    public static final String NAME = "etcdvmcluster";

    private final SpecValidator validator;
    private final ClusterCertificates certificates;
    private final ClusterObserver observer;
    private final HostActions provisioning;
    private final StatusRecorder recorder;
    private final Duration resync;
    private final Clock clock;

    public EtcdVmClusterReconciler(SpecValidator validator, ClusterCertificates certificates, ClusterObserver observer,
            HostActions provisioning, StatusRecorder recorder, Duration resync, Clock clock) {
        this.validator = validator;
        this.certificates = certificates;
        this.observer = observer;
        this.provisioning = provisioning;
        this.recorder = recorder;
        this.resync = resync;
        this.clock = clock;
    }

    @Override
    @SuppressWarnings("try") // the MDC entry lives exactly as long as the pass
    public UpdateControl<EtcdVmCluster> reconcile(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        try (var ignored = MDC.putCloseable("cluster",
                cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName())) {
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
                UpdateControl<EtcdVmCluster> control = recorder.record(cluster, draft);
                // A missing Secret is fixed without touching the resource: look again later by ourselves.
                return violations.stream().anyMatch(SpecViolation::external)
                        ? control.rescheduleAfter(resync.multipliedBy(4)) : control;
            }
            ClusterVerdicts.specValid(draft);
            return converge(cluster, tls, draft);
        }
    }

    private UpdateControl<EtcdVmCluster> converge(EtcdVmCluster cluster, ClusterTls tls, StatusDraft draft) {
        Map<String, MemberPlan> plans = DesiredMembers.plans(cluster, tls, "new");
        ObservedCluster observed = observer.observe(cluster, tls);
        Decision decision = ClusterPlanner.decide(cluster, observed, plans);
        Map<String, HostResult> results = new HashMap<>();
        provisioning.provision(cluster, decision.provision(), plans, observed).forEach(r -> results.put(r.member(), r));
        restartOneIfSafe(cluster, observed, decision, results);
        ClusterVerdicts.observed(draft, cluster, tls, observed, decision, results);
        return recorder.record(cluster, draft).rescheduleAfter(nextLook(draft, results));
    }

    /**
     * Members whose files changed under them restart one per pass, and only while every member is
     * healthy, so a rolling change never costs quorum.
     */
    private void restartOneIfSafe(EtcdVmCluster cluster, ObservedCluster observed, Decision decision,
            Map<String, HostResult> results) {
        if (decision.mode() != Decision.Mode.CONVERGE) {
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

    private Duration nextLook(StatusDraft draft, Map<String, HostResult> results) {
        boolean ready = Conditions.isTrue(draft.next().getConditions(), ConditionType.Ready);
        boolean progressing = Conditions.isTrue(draft.next().getConditions(), ConditionType.Progressing);
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

    /**
     * Deletion policies arrive with lifecycle management; until then deletion leaves the machines as
     * they are (Retain) and only drops the operator's connections to the cluster.
     */
    @Override
    public DeleteControl cleanup(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        observer.forget(cluster);
        return DeleteControl.defaultDelete();
    }
}
