package dev.etcdvm.operator.support;

import dev.etcdvm.operator.Collaborators;
import dev.etcdvm.operator.metrics.OperatorMetrics;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.time.Clock;

/** The operator's collaborators for tests that reach no machine and no etcd. */
public final class Fakes {
    private Fakes() {
    }

    public static Collaborators collaborators(FakeHosts.Access access, ClusterObserver observer, FakeMachines machines,
            FakeMembership membership) {
        return new Collaborators(access, observer, machines, membership, new FakeMaintenance(), Backups.NONE, () -> 0, PhaseTimings.NONE, Failpoints.NONE,
                () -> { }, Clock.systemUTC(), new OperatorMetrics(Clock.systemUTC()));
    }
}
