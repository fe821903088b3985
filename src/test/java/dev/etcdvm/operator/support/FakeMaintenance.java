package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.etcdapi.MaintenanceActions;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the maintenance asked for, e.g. "Defragment etcd-2"; fails on demand like etcd does (a deadline). */
public final class FakeMaintenance implements MaintenanceActions {
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private volatile String failure;

    @Override
    public String apply(EtcdVmCluster cluster, ClusterTls tls, MaintenancePlanner.Action action) {
        String what = action.getClass().getSimpleName()
                + (action instanceof MaintenancePlanner.Defragment d ? " " + d.member() : "");
        asked.add(what);
        if (failure != null) {
            throw new FailureException(new Failure(Operation.ETCD_MAINTENANCE, FailureReason.MaintenanceFailed, true,
                    Optional.empty(), what + " failed: " + failure), null);
        }
        return what;
    }

    /** From now on every action fails with this detail, e.g. "deadline exceeded". */
    public FakeMaintenance failingWith(String detail) {
        failure = detail;
        return this;
    }

    public List<String> asked() {
        return List.copyOf(asked);
    }
}
