package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Objects;

/**
 * Checks, right before a membership change, that the spec the pass decided on is still the spec: a pass
 * that waited on a dead machine may be seconds old, and removing a member the user just put back is
 * not undone by the next pass.
 */
final class SpecFence {
    private final Context<EtcdVmCluster> context;
    private final EtcdVmCluster decidedOn;

    SpecFence(Context<EtcdVmCluster> context, EtcdVmCluster decidedOn) {
        this.context = context;
        this.decidedOn = decidedOn;
    }

    Context<EtcdVmCluster> context() {
        return context;
    }

    boolean specChanged() {
        EtcdVmCluster now = context.getClient().resources(EtcdVmCluster.class)
                .inNamespace(decidedOn.getMetadata().getNamespace()).withName(decidedOn.getMetadata().getName()).get();
        return now == null || !Objects.equals(now.getMetadata().getGeneration(), decidedOn.getMetadata().getGeneration());
    }
}
