package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A Ready cluster: every machine answers, every member is a healthy voter, the first one leads. */
public final class HealthyEtcdObserver implements ClusterObserver {
    private final AtomicLong observations = new AtomicLong();
    private final boolean taking;
    private volatile int leader;
    private volatile Runnable onLook = () -> { };
    private volatile String silence;
    private volatile String clusterId = "c1";

    public HealthyEtcdObserver() {
        this(false);
    }

    /** @param takingWrites the members' raft index moves on between any two looks, as in a cluster taking writes */
    public HealthyEtcdObserver(boolean takingWrites) {
        this.taking = takingWrites;
    }

    @Override
    public ObservedCluster observe(EtcdVmCluster cluster, ClusterTls tls, ClusterHosts hosts) {
        List<MemberSpec> members = cluster.getSpec().getMembers();
        // Each machine runs its member, its data in place: what a Ready cluster's machines show.
        List<HostObservation> machines = members.stream().map(m -> HostObservation.reachable(m.getName(),
                m.getAddress(), "SHA256:fake", RecordingObserver.runningMember(cluster.getMetadata().getUid(),
                        "a" + members.indexOf(m)))).toList();
        List<EtcdMemberView> etcd = members.stream().map(m -> new EtcdMemberView("a" + members.indexOf(m),
                m.getName(), List.of(EtcdUrls.peerUrl(m.getAddress(), 2380)),
                List.of(EtcdUrls.clientUrl(m.getAddress(), 2379)), false, true, 1L, null, "3.5.16", 20_480L,
                16_384L, 2L, taking ? 100L + observations.get() : 100L, members.indexOf(m) == leader)).toList();
        observations.incrementAndGet();
        onLook.run();
        String why = silence;
        return new ObservedCluster(machines, why != null ? EtcdView.unavailable(why)
                : new EtcdView(Optional.of(clusterId), etcd, List.of(), List.of(), true, Optional.empty()));
    }

    /** From now on etcd answers nothing (every member times out), while the machines still answer; null: it answers. */
    public void silence(String why) {
        silence = why;
    }

    /** From now on etcd answers with this cluster id (the members were formed again elsewhere). */
    public void clusterId(String id) {
        clusterId = id;
    }

    /** From now on the member at this index of the spec leads. */
    public void leader(int index) {
        leader = index;
    }

    /** Runs after every look (a test steps its clock here: each pass then takes that long). */
    public void onLook(Runnable action) {
        onLook = action;
    }

    public long observations() {
        return observations.get();
    }
}
