package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The status a reconciliation pass is building, started from a copy of the last written one. */
public final class StatusDraft {
    private final EtcdVmClusterStatus previous;
    private final EtcdVmClusterStatus next;
    private final Long generation;
    private final Instant now;
    private final List<Announcement> announcements = new ArrayList<>();

    private StatusDraft(EtcdVmCluster cluster, Clock clock) {
        this.previous = cluster.getStatus() == null ? new EtcdVmClusterStatus() : cluster.getStatus();
        this.next = Serialization.clone(previous);
        this.generation = cluster.getMetadata().getGeneration();
        this.now = Instant.now(clock);
    }

    public static StatusDraft startingFrom(EtcdVmCluster cluster, Clock clock) {
        return new StatusDraft(cluster, clock);
    }

    public StatusDraft condition(ConditionType type, ConditionStatus status, String reason, String message) {
        Conditions.set(next.getConditions(), type, status, reason, message, generation, now);
        return this;
    }

    public StatusDraft dropCondition(ConditionType type) {
        next.getConditions().removeIf(c -> type.name().equals(c.getType()));
        return this;
    }

    public StatusDraft phase(ClusterPhase phase) {
        next.setPhase(phase);
        return this;
    }

    /** Marks the pass complete for this generation; only call when the pass reached a verdict. */
    public StatusDraft completedPass() {
        next.setObservedGeneration(generation);
        return this;
    }

    /** An Event to publish with this pass's status (a membership change, a refusal). */
    public StatusDraft announce(EventReason reason, String message) {
        announcements.add(new Announcement(reason, message));
        return this;
    }

    public List<Announcement> announcements() {
        return List.copyOf(announcements);
    }

    public EtcdVmClusterStatus previous() {
        return previous;
    }

    public EtcdVmClusterStatus next() {
        return next;
    }

    public Instant now() {
        return now;
    }
}
