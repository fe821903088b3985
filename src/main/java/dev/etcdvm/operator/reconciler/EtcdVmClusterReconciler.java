package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.act.Executors;
import dev.etcdvm.operator.reconciler.act.PlanRunner;
import dev.etcdvm.operator.reconciler.backup.BackupDue;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.etcdapi.MaintenanceActions;
import dev.etcdvm.operator.reconciler.etcdapi.MembershipActions;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Failures;
import dev.etcdvm.operator.reconciler.kube.KubernetesSpecFence;
import dev.etcdvm.operator.reconciler.kube.OwnedSecrets;
import dev.etcdvm.operator.reconciler.machines.ClusterAccess;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.NextLook;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.plan.PassPlanner;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.status.ClusterFacts;
import dev.etcdvm.operator.reconciler.status.ClusterGauges;
import dev.etcdvm.operator.reconciler.status.ClusterReadings;
import dev.etcdvm.operator.reconciler.status.ConditionStatus;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.Conditions;
import dev.etcdvm.operator.reconciler.status.StatusAssembler;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.status.StatusRecorder;
import dev.etcdvm.operator.reconciler.tls.ClusterCertificates;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One pass: build its context ({@link PassBuilder}: validate, observe, decide), plan ({@link PassPlanner}), run the
 * plan's actions ({@link PlanRunner}), then record status and schedule the next look. It keeps no state between
 * passes: what it needs is read again from the machines, from etcd and from status every time, so an
 * operator killed at any point picks up where the world is, not where it was. Deletion is
 * {@link DeletionCleanup}.
 */
@ControllerConfiguration(name = EtcdVmClusterReconciler.NAME)
public class EtcdVmClusterReconciler implements Reconciler<EtcdVmCluster>, Cleaner<EtcdVmCluster> {
    public static final String NAME = "etcdvmcluster";
    private static final Logger LOG = LoggerFactory.getLogger(EtcdVmClusterReconciler.class);

    private final PassBuilder passes;
    private final PlanRunner runner;
    private final DeletionCleanup deletion;
    private final StatusRecorder recorder;
    private final ClusterGauges gauges;
    private final Failpoints failpoints;
    private final Duration resync;
    private final Clock clock;

    public EtcdVmClusterReconciler(SpecValidator validator, ClusterCertificates certificates, OwnedSecrets secrets,
            ClusterAccess access, ClusterObserver observer, HostActions machines, MembershipActions membership,
            MaintenanceActions maintenance, Backups backups, StatusRecorder recorder, ClusterGauges gauges, Failpoints failpoints, Duration resync,
            Clock clock) {
        this.gauges = gauges;
        this.passes = new PassBuilder(validator, certificates, access, observer, secrets, backups, failpoints);
        this.runner = new PlanRunner(Executors.all(machines, membership, maintenance, backups, observer, failpoints));
        this.deletion = new DeletionCleanup(validator, access, secrets, observer, machines, recorder, resync, clock);
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
            try {
                EtcdVmCluster stored = stored(cluster, context);
                return stored == null ? UpdateControl.noUpdate() : pass(stored, context);
            } catch (Failpoints.Stop e) {
                throw e;
            } catch (RuntimeException e) {
                return unexpected(cluster, context, Failures.unexpected(e), e);
            }
        }
    }

    private UpdateControl<EtcdVmCluster> pass(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        StatusDraft draft = StatusDraft.startingFrom(cluster, clock);
        long started = System.nanoTime();
        PassBuilder.Start start = passes.build(cluster, new KubernetesSpecFence(context.getClient(), cluster),
                draft.now());
        long built = System.nanoTime();
        if (start.pass().isEmpty()) {
            StatusAssembler.specInvalid(draft, start.violations());
            gauges.record(ClusterReadings.invalid(cluster));
            UpdateControl<EtcdVmCluster> control = recorder.record(cluster, draft, context);
            // A missing Secret is fixed without touching the resource: look again later by ourselves.
            return start.violations().stream().anyMatch(SpecViolation::external)
                    ? control.rescheduleAfter(resync.multipliedBy(4)) : control;
        }
        Pass pass = runner.run(start.pass().get(), PassPlanner.plan(start.pass().get()));
        long acted = System.nanoTime();
        ClusterFacts facts = StatusAssembler.passed(draft, pass);
        gauges.record(ClusterReadings.of(pass, facts, draft.next()));
        Duration next = NextLook.notAfter(NextLook.notAfter(NextLook.after(pass, facts.ready(),
                facts.ready() ? draft.now() : notReadySince(cluster, draft.now()), resync), draft.now(),
                BackupDue.nextAttempt(draft.next().getBackup())), draft.now(), Optional.ofNullable(draft.next()
                .getMaintenance()).flatMap(m -> MaintenancePlanner.pausedUntil(MaintenancePlanner.spec(cluster), m)));
        UpdateControl<EtcdVmCluster> control = recorder.record(cluster, draft, context).rescheduleAfter(next);
        LOG.debug("pass: context {} ms, plan {} ms, status {} ms; next look in {} ms", (built - started) / 1_000_000,
                (acted - built) / 1_000_000, (System.nanoTime() - acted) / 1_000_000, next.toMillis());
        return control;
    }

    /**
     * A pass that could not finish still ends in status (when the API server takes it) and a next look
     * within the resync: nothing is known of the cluster's health, so Ready is Unknown, not a stale True.
     */
    private UpdateControl<EtcdVmCluster> unexpected(EtcdVmCluster cluster, Context<EtcdVmCluster> context,
            Failure failure, RuntimeException cause) {
        String message = failure.operation() + " failed: " + failure.message() + "; looking again within "
                + resync.toSeconds() + " s";
        if (failure.reason() == FailureReason.InternalError) {
            LOG.warn("{}", message, cause);
        } else {
            LOG.warn("{}", message);
        }
        StatusDraft draft = StatusDraft.startingFrom(cluster, clock)
                .condition(ConditionType.Ready, ConditionStatus.Unknown, failure.conditionReason(), message)
                .condition(ConditionType.Progressing, ConditionStatus.False, failure.conditionReason(), message);
        try {
            recorder.record(cluster, draft, context);
        } catch (RuntimeException e) {
            LOG.debug("status not written either: {}", e.getMessage());
        }
        Duration next = NextLook.afterProblem(notReadySince(cluster, draft.now()), draft.now(), resync);
        return UpdateControl.<EtcdVmCluster>noUpdate().rescheduleAfter(next.compareTo(resync) < 0 ? next : resync);
    }

    /**
     * The resource as stored now. The informer's copy may not hold the status the last pass wrote yet (a
     * pass looked at again after 500 ms can start before the write's event arrives), and a pass that starts
     * from an older status would write back what it no longer knows: a snapshot's record, a risky change's
     * snapshot, a raft high-water mark.
     */
    private static EtcdVmCluster stored(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        return context.getClient().resources(EtcdVmCluster.class).inNamespace(cluster.getMetadata().getNamespace())
                .withName(cluster.getMetadata().getName()).get();
    }

    /** When the cluster stopped being Ready: the previous status says, unless it stops being Ready now. */
    private static Instant notReadySince(EtcdVmCluster cluster, Instant now) {
        if (cluster.getStatus() == null) {
            return now;
        }
        return Conditions.find(cluster.getStatus().getConditions(), ConditionType.Ready)
                .filter(c -> !"True".equals(c.getStatus()))
                .map(c -> Instant.parse(c.getLastTransitionTime())).orElse(now);
    }

    /** Applies spec.deletionPolicy; see {@link DeletionCleanup}. */
    @Override
    public DeleteControl cleanup(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        failpoints.reached(Failpoints.Point.PASS_START);
        DeleteControl control = deletion.run(cluster, context);
        if (control.isRemoveFinalizer()) {
            gauges.forget(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
        }
        return control;
    }
}
