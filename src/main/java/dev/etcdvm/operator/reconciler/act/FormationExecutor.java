package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.time.Duration;

/**
 * Asks etcd (not the machines) until the founders started this pass have formed the cluster, for the time the
 * plan allows, so the pass that formed the cluster also reports it; otherwise the next pass looks again soon.
 */
public final class FormationExecutor implements Executor<Action.AwaitFormation> {
    static final Duration POLL = Duration.ofMillis(200);

    private final ClusterObserver observer;

    public FormationExecutor(ClusterObserver observer) {
        this.observer = observer;
    }

    @Override
    public Class<Action.AwaitFormation> handles() {
        return Action.AwaitFormation.class;
    }

    @Override
    public Report execute(Action.AwaitFormation action, Target target) {
        long deadline = System.nanoTime() + action.atMost().toNanos();
        while (true) {
            EtcdView etcd = observer.observeEtcd(target.cluster(), target.tls());
            if (formed(etcd, action.founders().size())) {
                return new Report(new Outcome.Done("formed cluster " + etcd.clusterId().orElseThrow()),
                        Effects.ofEtcdSeen(etcd));
            }
            if (System.nanoTime() + POLL.toNanos() > deadline) {
                return notYet();
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return notYet();
            }
        }
    }

    private static Report notYet() {
        return new Report(new Outcome.Waiting(ConditionReason.NotFormedYet, "the founders have not formed the cluster yet"),
                Effects.NONE);
    }

    private static boolean formed(EtcdView etcd, int founders) {
        return etcd.available() && etcd.clusterId().isPresent() && etcd.members().size() == founders
                && etcd.members().stream().allMatch(EtcdMemberView::healthy)
                && etcd.members().stream().anyMatch(EtcdMemberView::leader);
    }
}
