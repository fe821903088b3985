package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.etcdapi.MaintenanceActions;
import dev.etcdvm.operator.reconciler.etcdapi.MembershipActions;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import java.util.List;

/** Every action's executor, over the collaborators that reach machines, etcd and the object store. */
public final class Executors {
    private Executors() {
    }

    public static List<Executor<?>> all(HostActions machines, MembershipActions membership,
            MaintenanceActions maintenance, Backups backups, ClusterObserver observer, Failpoints failpoints) {
        return List.of(new ProvisionExecutor(machines, failpoints), new FormationExecutor(observer),
                new MembershipExecutor(membership, failpoints), new LeadershipExecutor(membership),
                new RestartExecutor(machines, failpoints), new SnapshotExecutor(backups),
                new DrillExecutor(backups, machines), new MaintenanceExecutor(maintenance),
                new RetireExecutor(machines), new StopForRecoveryExecutor(machines),
                new RecoverExecutor(backups, machines), new MarkDataExecutor(machines));
    }
}
