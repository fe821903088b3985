package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.decide.RetiringMembers;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.kube.OwnedSecrets;
import dev.etcdvm.operator.reconciler.kube.PassSecrets;
import dev.etcdvm.operator.reconciler.machines.ClusterAccess;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.machines.Retiree;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.pass.NextLook;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.status.ConditionStatus;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.status.StatusRecorder;
import dev.etcdvm.operator.reconciler.validation.SpecValidator;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What happens on the machines when an EtcdVmCluster is deleted, per its deletion policy. */
final class DeletionCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(DeletionCleanup.class);
    private final SpecValidator validator;
    private final ClusterAccess access;
    private final OwnedSecrets secrets;
    private final ClusterObserver observer;
    private final HostActions machines;
    private final StatusRecorder recorder;
    private final Duration resync;
    private final Clock clock;

    DeletionCleanup(SpecValidator validator, ClusterAccess access, OwnedSecrets secrets, ClusterObserver observer,
            HostActions machines, StatusRecorder recorder, Duration resync, Clock clock) {
        this.validator = validator;
        this.access = access;
        this.secrets = secrets;
        this.observer = observer;
        this.machines = machines;
        this.recorder = recorder;
        this.resync = resync;
        this.clock = clock;
    }

    /**
     * Applies spec.deletionPolicy. Retain (and a paused cluster) leaves etcd running and only stops
     * managing it. StopServices and Wipe reach every machine, including ones still leaving the cluster;
     * while any cannot be reached the finalizer stays and the deletion is retried, unless the user set
     * the force-delete annotation. Owned Secrets go with the resource through their owner references.
     * An invalid spec is never acted on (its paths may be anything), and a machine that does not carry
     * this cluster's marker is left untouched: both are released as Retain, with a Warning Event.
     */
    DeleteControl run(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        DeletionPolicy policy = cluster.getSpec().getDeletionPolicy();
        if (policy == DeletionPolicy.Retain || cluster.paused()) {
            observer.forget(cluster);
            recorder.announce(cluster, EventReason.CleanedUp, cluster.paused() && policy != DeletionPolicy.Retain
                    ? "deleted while paused: machines left as they are, deletion policy " + policy + " not applied"
                    : "deletion policy Retain: etcd keeps running on the machines, no longer managed");
            return DeleteControl.defaultDelete();
        }
        PassSecrets passSecrets = new PassSecrets(secrets);
        // A missing Secret leaves the spec sound: the machines it cannot reach block the deletion as usual.
        List<SpecViolation> violations = validator.validate(cluster, passSecrets).stream()
                .filter(v -> !v.external()).toList();
        if (!violations.isEmpty()) {
            observer.forget(cluster);
            recorder.announce(cluster, EventReason.CleanupSkipped, "the spec is invalid ("
                    + violations.stream().map(SpecViolation::toString).collect(Collectors.joining("; "))
                    + "): machines left as they are, deletion policy " + policy + " not applied");
            return DeleteControl.defaultDelete();
        }
        List<Retiree> machines = new ArrayList<>(cluster.getSpec().getMembers().stream()
                .map(Retiree::ofDeletedCluster).toList());
        if (cluster.getStatus() != null) {
            cluster.getStatus().getRetiringMembers().forEach(m -> machines.add(
                    new Retiree(RetiringMembers.machine(m), Optional.ofNullable(m.getId()), List.of())));
        }
        ClusterHosts hosts = access.forCluster(cluster, passSecrets);
        List<HostResult> results = this.machines.retire(hosts, cluster.getMetadata().getUid(), machines,
                policy == DeletionPolicy.Wipe);
        List<HostResult> notOwned = results.stream()
                .filter(r -> r.failure().map(f -> f.reason() == FailureReason.NotOwned).orElse(false)).toList();
        if (!notOwned.isEmpty()) {
            recorder.announce(cluster, EventReason.MachineNotOwned, "deletion policy " + policy + " not applied to "
                    + notOwned.stream().map(r -> r.member() + " (" + r.failure().get().message() + ")")
                            .collect(Collectors.joining(", ")) + ": released as Retain");
        }
        List<HostResult> failed = results.stream().filter(r -> r.failure().isPresent() && !notOwned.contains(r)).toList();
        if (!failed.isEmpty() && !cluster.forceDelete()) {
            String message = "deletion policy " + policy + " could not be applied to " + failed.stream()
                    .map(r -> r.member() + " (" + r.failure().get().message() + ")").collect(Collectors.joining(", "))
                    + "; retrying. Annotate " + EtcdVmCluster.FORCE_DELETE_ANNOTATION + "=true to finish anyway";
            LOG.warn("{}", message);
            recorder.announce(cluster, EventReason.CleanupBlocked, message);
            reportBlockedDeletion(cluster, context, message);
            Instant since = Optional.ofNullable(cluster.getMetadata().getDeletionTimestamp()).map(Instant::parse)
                    .orElse(Instant.now(clock));
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(NextLook.afterProblem(since, Instant.now(clock), resync));
        }
        observer.forget(cluster);
        recorder.announce(cluster, EventReason.CleanedUp, "deletion policy " + policy + " applied to "
                + (machines.size() - failed.size() - notOwned.size()) + " machines" + (failed.isEmpty() ? ""
                : "; forced past " + failed.stream().map(HostResult::member).collect(Collectors.joining(", "))));
        return DeleteControl.defaultDelete();
    }

    /** Status says why the resource is still there; best effort, the Event already said it. */
    private void reportBlockedDeletion(EtcdVmCluster cluster, Context<EtcdVmCluster> context, String message) {
        StatusDraft draft = StatusDraft.startingFrom(cluster, clock)
                .phase(ClusterPhase.Deleting)
                .condition(ConditionType.Ready, ConditionStatus.False, ConditionReason.CleanupBlocked.name(), message)
                .condition(ConditionType.Progressing, ConditionStatus.False, ConditionReason.CleanupBlocked.name(), message);
        if (draft.next().equals(cluster.getStatus())) {
            return;
        }
        try {
            recorder.write(cluster, draft.next(), context);
        } catch (KubernetesClientException e) {
            LOG.debug("could not record the blocked deletion in status: {}", e.getMessage());
        }
    }
}
