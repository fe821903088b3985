package dev.etcdvm.operator.reconciler.etcdapi;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.etcd.EtcdCluster;
import dev.etcdvm.operator.etcd.EtcdException;
import dev.etcdvm.operator.etcd.EtcdMember;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.List;
import java.util.Optional;

/** Makes membership changes through the cluster's shared etcd client. */
public final class EtcdMembershipActions implements MembershipActions {
    private final EtcdConnections connections;

    public EtcdMembershipActions(EtcdConnections connections) {
        this.connections = connections;
    }

    @Override
    public String apply(EtcdVmCluster cluster, ClusterTls tls, MembershipChange change) {
        EtcdCluster etcd = connections.of(cluster, tls);
        try {
            if (change instanceof MembershipChange.AddLearner add) {
                return "added " + add.member().getName() + " as learner " + etcd.addLearner(List.of(add.peerUrl())).hexId();
            } else if (change instanceof MembershipChange.Promote promote) {
                etcd.promote(EtcdMember.parseHex(promote.id()));
                return "promoted " + promote.name() + " to a voting member";
            } else if (change instanceof MembershipChange.MoveLeader move) {
                etcd.moveLeader(EtcdMember.parseHex(move.toId()));
                return "moved leadership from " + move.fromName() + " to " + move.toName();
            } else if (change instanceof MembershipChange.Remove remove) {
                etcd.remove(EtcdMember.parseHex(remove.id()));
                return "removed " + remove.name() + " (" + remove.id() + ") from etcd";
            }
            throw new IllegalArgumentException("not a change to apply: " + change);
        } catch (EtcdException e) {
            FailureReason reason = e.notYet() ? FailureReason.EtcdNotReadyForChange : failed(change);
            throw new FailureException(new Failure(operation(change), reason, true, Optional.empty(),
                    change.describe() + (e.notYet() ? " waits: " : " failed: ") + e.getMessage()), e);
        }
    }

    private static FailureReason failed(MembershipChange change) {
        return change instanceof MembershipChange.AddLearner ? FailureReason.AddLearnerFailed
                : change instanceof MembershipChange.Promote ? FailureReason.PromoteFailed
                : change instanceof MembershipChange.MoveLeader ? FailureReason.MoveLeaderFailed
                : FailureReason.RemoveFailed;
    }

    private static Operation operation(MembershipChange change) {
        return change instanceof MembershipChange.AddLearner ? Operation.ETCD_MEMBER_ADD
                : change instanceof MembershipChange.Promote ? Operation.ETCD_MEMBER_PROMOTE
                : change instanceof MembershipChange.MoveLeader ? Operation.ETCD_MOVE_LEADER
                : Operation.ETCD_MEMBER_REMOVE;
    }
}
