package dev.etcdvm.operator.reconciler.etcdapi;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;

/** Makes one membership change in etcd; tests substitute a fake that can refuse. */
public interface MembershipActions {
    /**
     * @return what was done, e.g. "added etcd-4 as learner 8e9e05c52164694d"
     * @throws FailureException when etcd refused or could not be reached; its failure is transient with
     *     reason EtcdNotReadyForChange when etcd only said "not now"
     */
    String apply(EtcdVmCluster cluster, ClusterTls tls, MembershipChange change);
}
