package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.Patterns;

/** Ports, service user and raft tuning within etcd's documented limits. */
final class EtcdRules implements SpecRule {
    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        EtcdSpec etcd = cluster.getSpec().getEtcd();
        if (etcd == null) {
            return;
        }
        out.requireRange("spec.etcd.clientPort", etcd.getClientPort(), 1, 65535);
        out.requireRange("spec.etcd.peerPort", etcd.getPeerPort(), 1, 65535);
        out.requireRange("spec.etcd.metricsPort", etcd.getMetricsPort(), 0, 65535);
        if (etcd.getMetricsPort() != 0
                && (etcd.getMetricsPort() == etcd.getClientPort() || etcd.getMetricsPort() == etcd.getPeerPort())) {
            out.add("spec.etcd.metricsPort", "must differ from clientPort " + etcd.getClientPort() + " and peerPort "
                    + etcd.getPeerPort());
        }
        if (etcd.getClientPort() == etcd.getPeerPort()) {
            out.add("spec.etcd.peerPort", "must differ from clientPort " + etcd.getClientPort());
        }
        if (out.requireMatch("spec.etcd.runAsUser", etcd.getRunAsUser(), Patterns.UNIX_USER, "a valid login name")
                && etcd.getRunAsUser().equals("root")) {
            out.add("spec.etcd.runAsUser", "etcd must not run as root");
        }
        checkTuning(etcd, out);
        out.requireRange("spec.etcd.quotaBackendBytes", etcd.getQuotaBackendBytes(), 0, EtcdSpec.MAX_QUOTA_BACKEND_BYTES);
        out.requireMatch("spec.etcd.autoCompactionRetention", etcd.getAutoCompactionRetention(),
                Patterns.COMPACTION_RETENTION, "a number of hours or a duration such as 30m");
    }

    /** etcd's tuning guide: election timeout at least 5x the heartbeat, and etcd caps it at 50 s. */
    private static void checkTuning(EtcdSpec etcd, Violations out) {
        out.requireRange("spec.etcd.heartbeatIntervalMillis", etcd.getHeartbeatIntervalMillis(), 10, 10_000);
        out.requireRange("spec.etcd.electionTimeoutMillis", etcd.getElectionTimeoutMillis(), 50,
                EtcdSpec.MAX_ELECTION_TIMEOUT_MILLIS);
        if (etcd.getElectionTimeoutMillis() < EtcdSpec.MIN_ELECTION_TO_HEARTBEAT_RATIO * etcd.getHeartbeatIntervalMillis()) {
            out.add("spec.etcd.electionTimeoutMillis", etcd.getElectionTimeoutMillis()
                    + " must be at least 5 x heartbeatIntervalMillis (" + etcd.getHeartbeatIntervalMillis() + ")");
        }
    }
}
