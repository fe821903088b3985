package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.status.StatusRecorder;
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
import java.util.List;
import org.slf4j.MDC;

/**
 * Orchestrates one pass: validate, observe, decide, record. It holds no state between passes: what
 * it needs to know is read again from the machines and from status every time.
 */
@ControllerConfiguration(name = EtcdVmClusterReconciler.NAME)
public class EtcdVmClusterReconciler implements Reconciler<EtcdVmCluster>, Cleaner<EtcdVmCluster> {
    public static final String NAME = "etcdvmcluster";

    private final SpecValidator validator;
    private final ClusterObserver observer;
    private final StatusRecorder recorder;
    private final Duration resyncInterval;
    private final Duration externalFixRetry;
    private final Clock clock;

    public EtcdVmClusterReconciler(SpecValidator validator, ClusterObserver observer, StatusRecorder recorder,
            Duration resyncInterval, Clock clock) {
        this.validator = validator;
        this.observer = observer;
        this.recorder = recorder;
        this.resyncInterval = resyncInterval;
        this.externalFixRetry = resyncInterval.multipliedBy(4);
        this.clock = clock;
    }

    @Override
    public UpdateControl<EtcdVmCluster> reconcile(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        try (var ignored = MDC.putCloseable("cluster",
                cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName())) {
            StatusDraft draft = StatusDraft.startingFrom(cluster, clock);
            List<SpecViolation> violations = validator.validate(cluster);
            if (!violations.isEmpty()) {
                ClusterVerdicts.specInvalid(draft, violations);
                return retryIfExternal(recorder.record(cluster, draft), violations);
            }
            ClusterVerdicts.specValid(draft);
            ObservedCluster observed = observer.observe(cluster);
            ClusterVerdicts.hosts(draft, cluster, observed);
            return recorder.record(cluster, draft).rescheduleAfter(resyncInterval);
        }
    }

    /**
     * A missing Secret is fixed without touching the resource, so no event would wake us: look again
     * later. A fault in the spec itself waits for the user's next edit.
     */
    private UpdateControl<EtcdVmCluster> retryIfExternal(UpdateControl<EtcdVmCluster> control,
            List<SpecViolation> violations) {
        return violations.stream().anyMatch(SpecViolation::external)
                ? control.rescheduleAfter(externalFixRetry) : control;
    }

    /** Deletion policies act on machines; until provisioning exists there is nothing on them to act on. */
    @Override
    public DeleteControl cleanup(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        return DeleteControl.defaultDelete();
    }
}
