package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.etcd.EtcdCluster;
import dev.etcdvm.operator.etcd.EtcdException;
import dev.etcdvm.operator.etcd.EtcdMember;
import dev.etcdvm.operator.reconciler.membership.MembershipChange;
import dev.etcdvm.operator.reconciler.observe.EtcdConnections;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.List;

/** Makes membership changes through the cluster's shared etcd client. */
public final class EtcdMembershipStep implements MembershipActions {
    private final EtcdConnections connections;

    public EtcdMembershipStep(EtcdConnections connections) {
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
            boolean notYet = e.notYet();
            throw new MembershipException(notYet ? "EtcdNotReadyForChange" : change.getClass().getSimpleName() + "Failed",
                    change.describe() + (notYet ? " waits: " : " failed: ") + e.getMessage(), notYet, e);
        }
    }
}
