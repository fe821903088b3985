package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MachinePaths;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A fake observer for decision-logic tests: every machine is fresh and reachable; calls are remembered. */
public final class RecordingObserver implements ClusterObserver {
    private final Set<String> observedClusters = ConcurrentHashMap.newKeySet();
    private final Map<String, Failure> unreachable = new ConcurrentHashMap<>();

    public static HostFacts freshMachine() {
        return new HostFacts("x86_64", true, Optional.empty(), 0, HostFacts.DataDir.ABSENT, Optional.empty(),
                Optional.empty(), Optional.empty(), "inactive", false, 0, Map.of(2379, "free", 2380, "free"), 10_000_000, Map.of(),
                0, MachinePaths.NONE);
    }

    /** A machine running member {@code id} of the cluster with uid {@code uid}, its data in place and marked. */
    public static HostFacts runningMember(String uid, String id) {
        HostFacts f = freshMachine();
        return new HostFacts(f.arch(), f.systemd(), Optional.of("3.5.16"), 1, HostFacts.DataDir.MEMBER,
                Optional.of(uid), Optional.of(id), Optional.of("data-" + id), "active", true, 1, Map.of(2379, "etcd", 2380, "etcd"),
                f.diskFreeKiB(), f.files(), f.plannedRestartAt(), f.paths());
    }

    @Override
    public ObservedCluster observe(EtcdVmCluster cluster, ClusterTls tls, ClusterHosts hosts) {
        observedClusters.add(cluster.getMetadata().getName());
        return new ObservedCluster(cluster.getSpec().getMembers().stream()
                .map(m -> unreachable.containsKey(m.getName())
                        ? HostObservation.unreachable(m.getName(), m.getAddress(), null, unreachable.get(m.getName()))
                        : HostObservation.reachable(m.getName(), m.getAddress(), "SHA256:fake-" + m.getName(), freshMachine()))
                .toList(), EtcdView.unavailable("no etcd in this test"));
    }

    /** From now on this member's machine cannot be reached, failing with {@code failure}. */
    public RecordingObserver unreachable(String member, Failure failure) {
        unreachable.put(member, failure);
        return this;
    }

    public boolean touched(String clusterName) {
        return observedClusters.contains(clusterName);
    }
}
