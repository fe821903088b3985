package dev.etcdvm.operator.reconciler.kube;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/** Reads the resource's generation from the API server (not the informer's cache) by name. */
public final class KubernetesSpecFence implements SpecFence {
    private final KubernetesClient client;
    private final EtcdVmCluster decidedOn;

    public KubernetesSpecFence(KubernetesClient client, EtcdVmCluster decidedOn) {
        this.client = client;
        this.decidedOn = decidedOn;
    }

    @Override
    public boolean specChanged() {
        EtcdVmCluster now = client.resources(EtcdVmCluster.class)
                .inNamespace(decidedOn.getMetadata().getNamespace()).withName(decidedOn.getMetadata().getName()).get();
        return now == null || !Objects.equals(now.getMetadata().getGeneration(), decidedOn.getMetadata().getGeneration());
    }
}
