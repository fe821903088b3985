package dev.etcdvm.operator.support;

import dev.etcdvm.operator.reconciler.act.Executors;
import dev.etcdvm.operator.reconciler.act.PlanRunner;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.etcdapi.MaintenanceActions;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.plan.PassPlanner;
import dev.etcdvm.operator.reconciler.plan.Plan;
import java.util.EnumSet;
import java.util.Set;

/**
 * Plans a pass and runs the plan over fakes, as the reconciler does: machines and membership that can fail on
 * demand, and, when a test gives them, its own maintenance actions, backups and observer.
 */
public final class PlanRuns {
    public final FakeMachines machines = new FakeMachines();
    public final FakeMembership membership = new FakeMembership();
    private MaintenanceActions maintenance = (cluster, tls, action) -> {
        throw new AssertionError("no maintenance expected in this test: " + action);
    };
    private Backups backups = Backups.NONE;
    private ClusterObserver observer = new RecordingObserver();
    private Plan plan;

    public PlanRuns maintenance(MaintenanceActions actions) {
        this.maintenance = actions;
        return this;
    }

    public PlanRuns backups(Backups store) {
        this.backups = store;
        return this;
    }

    public PlanRuns observer(ClusterObserver etcd) {
        this.observer = etcd;
        return this;
    }

    /** The pass after its plan ran. */
    public Pass run(Pass pass) {
        plan = PassPlanner.plan(pass);
        return new PlanRunner(Executors.all(machines, membership, maintenance, backups, observer, Failpoints.NONE))
                .run(pass, plan);
    }

    /** The plan of the last run. */
    public Plan plan() {
        return plan;
    }

    /** What the run said about the next look, beyond "nothing asks for an early one". */
    public static Set<Pace> urgency(Pass after) {
        Set<Pace> paces = EnumSet.noneOf(Pace.class);
        paces.addAll(after.effects().paces());
        paces.remove(Pace.STEADY);
        return paces;
    }
}
