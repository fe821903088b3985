package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.membership.MembershipChange;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;

/** Makes one membership change in etcd; tests substitute a recording fake. */
public interface MembershipActions {
    /**
     * @return what was done, e.g. "added etcd-4 as learner 8e9e05c52164694d"
     * @throws MembershipException when etcd refused or could not be reached
     */
    String apply(EtcdVmCluster cluster, ClusterTls tls, MembershipChange change);

    /** Why a membership change did not happen, worded for status. */
    final class MembershipException extends RuntimeException {
        private final String reason;

        public MembershipException(String reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
