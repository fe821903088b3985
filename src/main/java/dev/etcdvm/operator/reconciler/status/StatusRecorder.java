package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a finished draft into the pass's result: an Event for each transition users care about, and a status write
 * only when something happened. Fast-moving numbers alone (see {@link NumbersRefresh}) are written at most once per
 * refresh interval, so a steady cluster taking writes costs about one status write a minute, not one a resync.
 */
public final class StatusRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(StatusRecorder.class);
    private final EventRecorder events;
    private final Duration numbersRefresh;

    /** @param numbersRefresh how often a status whose only changes are fast-moving numbers is written */
    public StatusRecorder(EventRecorder events, Duration numbersRefresh) {
        this.events = events;
        this.numbersRefresh = numbersRefresh;
    }

    public UpdateControl<EtcdVmCluster> record(EtcdVmCluster cluster, StatusDraft draft, Context<EtcdVmCluster> context) {
        EtcdVmClusterStatus before = draft.previous();
        EtcdVmClusterStatus after = draft.next();
        announceTransitions(cluster, before, after);
        draft.announcements().forEach(a -> events.record(cluster, a.reason(), a.message()));
        if (!after.equals(cluster.getStatus())
                && !NumbersRefresh.holdBack(cluster.getStatus(), after, draft.now(), numbersRefresh)) {
            write(cluster, after, context);
        }
        return UpdateControl.noUpdate();
    }

    /**
     * The status patch is computed against the stored resource, not the copy this pass started from: a
     * pass that waited on a dead machine may hold a copy older than the last write, and a JSON patch built
     * on it would not apply. The informer brings the new status into the cache long before the next pass.
     */
    public void write(EtcdVmCluster cluster, EtcdVmClusterStatus status, Context<EtcdVmCluster> context) {
        stored(cluster, context).editStatus(stored -> {
            stored.setStatus(status);
            return stored;
        });
        cluster.setStatus(status);
    }

    /** An Event outside a status pass (deletion). */
    public void announce(EtcdVmCluster cluster, EventReason reason, String message) {
        events.record(cluster, reason, message);
    }

    private void announceTransitions(EtcdVmCluster cluster, EtcdVmClusterStatus before, EtcdVmClusterStatus after) {
        Optional<Condition> spec = changed(before, after, ConditionType.SpecValid);
        spec.ifPresent(c -> events.record(cluster,
                "True".equals(c.getStatus()) ? EventReason.SpecAccepted : EventReason.SpecInvalid, c.getMessage()));
        changed(before, after, ConditionType.HostsReachable)
                .filter(c -> !"Unknown".equals(c.getStatus()))
                .ifPresent(c -> events.record(cluster,
                        "True".equals(c.getStatus()) ? EventReason.HostsReachable : EventReason.HostsUnreachable,
                        c.getMessage()));
        if (!Objects.equals(before.getPhase(), after.getPhase())) {
            LOG.info("cluster {}/{} phase {} -> {}", cluster.getMetadata().getNamespace(),
                    cluster.getMetadata().getName(), before.getPhase(), after.getPhase());
            events.record(cluster, EventReason.PhaseChanged, "phase " + before.getPhase() + " -> " + after.getPhase());
        }
    }

    /** The new condition when its status or message differs from before. */
    private static Optional<Condition> changed(EtcdVmClusterStatus before, EtcdVmClusterStatus after, ConditionType type) {
        Optional<Condition> old = Conditions.find(before.getConditions(), type);
        return Conditions.find(after.getConditions(), type).filter(c -> old.isEmpty()
                || !Objects.equals(old.get().getStatus(), c.getStatus())
                || !Objects.equals(old.get().getMessage(), c.getMessage()));
    }

    /** By name, so the edit starts from a fresh read of the stored resource, not from this pass's copy. */
    private static Resource<EtcdVmCluster> stored(EtcdVmCluster cluster, Context<EtcdVmCluster> context) {
        return context.getClient().resources(EtcdVmCluster.class).inNamespace(cluster.getMetadata().getNamespace())
                .withName(cluster.getMetadata().getName());
    }
}
