package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A fake observer for decision-logic tests: every host answers, and every call is remembered. */
public final class RecordingObserver implements ClusterObserver {
    private final Set<String> observedClusters = ConcurrentHashMap.newKeySet();

    @Override
    public ObservedCluster observe(EtcdVmCluster cluster) {
        observedClusters.add(cluster.getMetadata().getName());
        return new ObservedCluster(cluster.getSpec().getMembers().stream()
                .map(m -> HostObservation.reachable(m.getName(), m.getAddress(), "SHA256:fake-" + m.getName()))
                .toList());
    }

    public boolean touched(String clusterName) {
        return observedClusters.contains(clusterName);
    }
}
