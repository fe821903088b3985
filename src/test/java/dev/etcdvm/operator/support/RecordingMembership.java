package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.membership.MembershipChange;
import dev.etcdvm.operator.reconciler.steps.MembershipActions;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the membership changes the reconciler asked for; optionally refuses them like etcd would. */
public final class RecordingMembership implements MembershipActions {
    private final List<MembershipChange> applied = new CopyOnWriteArrayList<>();
    private volatile String refuseWith;

    @Override
    public String apply(EtcdVmCluster cluster, ClusterTls tls, MembershipChange change) {
        if (refuseWith != null) {
            throw new MembershipException("RemoveFailed", change.describe() + " failed: " + refuseWith, false, null);
        }
        applied.add(change);
        return change.describe();
    }

    public void refuseWith(String message) {
        this.refuseWith = message;
    }

    public List<MembershipChange> applied() {
        return List.copyOf(applied);
    }
}
