package dev.etcdvm.operator;

import dev.etcdvm.operator.metrics.OperatorMetrics;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.etcdapi.MaintenanceActions;
import dev.etcdvm.operator.reconciler.etcdapi.MembershipActions;
import dev.etcdvm.operator.reconciler.machines.ClusterAccess;
import dev.etcdvm.operator.reconciler.machines.HostActions;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * The operator's side effects on machines and etcd, behind interfaces, so decision-logic tests can
 * run the real reconciler against the in-process API server with fakes.
 *
 * @param access resolves a cluster's SSH credentials into sessions, once per pass
 * @param sshSessionsOpened SSH sessions opened so far (the benchmark and the no-op tests read it)
 * @param timings where provisioning time goes (recorded by the benchmark)
 * @param failpoints crash tests stop the operator at these; production uses none
 * @param resources closed after the operator stops (the SSH client, etcd clients, thread pools)
 * @param backups takes snapshots into object stores
 * @param clock the operator's time: certificate renewal, status and Event times (tests move it forward)
 * @param metrics served at /metrics; the SSH and etcd clients report into it
 * @param maintenance compaction, defragmentation and disarming in etcd
 */
public record Collaborators(ClusterAccess access, ClusterObserver observer, HostActions actions,
        MembershipActions membership, MaintenanceActions maintenance, Backups backups, LongSupplier sshSessionsOpened, PhaseTimings timings, Failpoints failpoints,
        AutoCloseable resources, Clock clock, OperatorMetrics metrics) {

    public Collaborators withFailpoints(Failpoints points) {
        return new Collaborators(access, observer, actions, membership, maintenance, backups, sshSessionsOpened, timings, points,
                resources, clock, metrics);
    }

    public Collaborators withClock(Clock time) {
        return new Collaborators(access, observer, actions, membership, maintenance, backups, sshSessionsOpened, timings,
                failpoints, resources, time, metrics);
    }
}
