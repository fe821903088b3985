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
        private final boolean temporary;

        /** @param temporary etcd said "not now" (e.g. a member started moments ago); retry soon, not with backoff */
        public MembershipException(String reason, String message, boolean temporary, Throwable cause) {
            super(message, cause);
            this.reason = reason;
            this.temporary = temporary;
        }

        public boolean temporary() {
            return temporary;
        }

        public String reason() {
            return reason;
        }
    }
}
