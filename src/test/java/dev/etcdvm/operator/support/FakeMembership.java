package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.etcdapi.MembershipActions;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the membership changes asked for; refuses them on demand like etcd does ("not yet", or a failure). */
public final class FakeMembership implements MembershipActions {
    private final List<MembershipChange> applied = new CopyOnWriteArrayList<>();
    private volatile Failure refusal;

    @Override
    public String apply(EtcdVmCluster cluster, ClusterTls tls, MembershipChange change) {
        if (refusal != null) {
            throw new FailureException(refusal, null);
        }
        applied.add(change);
        return change.describe();
    }

    /** etcd answers "not now" (a member started moments ago). */
    public FakeMembership notYet() {
        refusal = new Failure(Operation.ETCD_MEMBER_ADD, FailureReason.EtcdNotReadyForChange, true, Optional.empty(),
                "etcdserver: unhealthy cluster");
        return this;
    }

    /** etcd refuses or cannot be reached. */
    public FakeMembership failingWith(FailureReason reason, String message) {
        refusal = Failure.of(Operation.ETCD_MEMBER_REMOVE, reason, null, message);
        return this;
    }

    public List<MembershipChange> applied() {
        return List.copyOf(applied);
    }
}
