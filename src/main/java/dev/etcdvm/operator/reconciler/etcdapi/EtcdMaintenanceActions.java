package dev.etcdvm.operator.reconciler.etcdapi;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.etcd.EtcdAlarm;
import dev.etcdvm.operator.etcd.EtcdCluster;
import dev.etcdvm.operator.etcd.EtcdException;
import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Compaction, defragmentation and disarming through the cluster's shared etcd client. */
public final class EtcdMaintenanceActions implements MaintenanceActions {
    /** A defragmentation rewrites the whole database file: bounded, but far longer than any other call. */
    static final Duration DEFRAGMENT_WITHIN = Duration.ofMinutes(10);

    private final EtcdConnections connections;

    public EtcdMaintenanceActions(EtcdConnections connections) {
        this.connections = connections;
    }

    @Override
    public String apply(EtcdVmCluster cluster, ClusterTls tls, MaintenancePlanner.Action action) {
        EtcdCluster etcd = connections.of(cluster, tls);
        try {
            if (action instanceof MaintenancePlanner.Defragment defragment) {
                long started = System.nanoTime();
                etcd.defragment(defragment.endpoint(), DEFRAGMENT_WITHIN);
                long after = etcd.status(defragment.endpoint()).dbSize();
                return "defragmented " + defragment.member() + ": " + mib(defragment.dbBytes()) + " -> " + mib(after)
                        + " in " + (System.nanoTime() - started) / 1_000_000 + " ms";
            } else if (action instanceof MaintenancePlanner.Compact compact) {
                etcd.compact(compact.revision());
                return "compacted the key history to revision " + compact.revision();
            } else if (action instanceof MaintenancePlanner.Disarm) {
                List<EtcdAlarm> disarmed = etcd.disarm("NOSPACE");
                return "disarmed " + (disarmed.isEmpty() ? "nothing (no NOSPACE alarm was left)"
                        : disarmed.stream().map(EtcdAlarm::toString).collect(Collectors.joining(", ")));
            }
            throw new IllegalArgumentException("not a maintenance action: " + action);
        } catch (EtcdException e) {
            throw new FailureException(new Failure(Operation.ETCD_MAINTENANCE, FailureReason.MaintenanceFailed, true,
                    Optional.empty(), action.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " failed: "
                    + e.getMessage()), e);
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
