package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.pass.Step;
import dev.etcdvm.operator.reconciler.pass.StepOutcome;
import java.time.Duration;

/**
 * Ends a bootstrap pass. When this pass started every founder, it asks etcd (not the machines) until they
 * have formed the cluster, for a few election timeouts at most, so the pass that formed the cluster also
 * reports it; otherwise, or past that, the next pass comes soon and looks again.
 */
public final class FormationWait implements Step {
    static final Duration POLL = Duration.ofMillis(200);
    /** Forming takes an election timeout or two once every founder runs. */
    static final int ELECTION_TIMEOUTS = 5;
    /** A reconciler thread is held at most this long, whatever the election timeout. */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final ClusterObserver observer;

    public FormationWait(ClusterObserver observer) {
        this.observer = observer;
    }

    @Override
    public StepOutcome run(Pass pass) {
        if (pass.decision().mode() != Decision.Mode.BOOTSTRAP) {
            return StepOutcome.nothingToDo();
        }
        int founders = pass.cluster().getSpec().getMembers().size();
        boolean allStarted = pass.effects().hosts().size() == founders && pass.effects().hosts().values().stream()
                .allMatch(r -> r.failure().isEmpty() && r.outcome().map(HostOutcome::started).orElse(false));
        if (!allStarted) {
            return StepOutcome.endPass(Effects.NONE);
        }
        Duration wait = Duration.ofMillis(
                (long) ELECTION_TIMEOUTS * pass.cluster().getSpec().getEtcd().getElectionTimeoutMillis());
        long deadline = System.nanoTime() + (wait.compareTo(MAX_WAIT) < 0 ? wait : MAX_WAIT).toNanos();
        while (true) {
            EtcdView etcd = observer.observeEtcd(pass.cluster(), pass.tls());
            if (formed(etcd, founders)) {
                return StepOutcome.endPass(Effects.ofEtcdSeen(etcd));
            }
            if (System.nanoTime() + POLL.toNanos() > deadline) {
                return StepOutcome.endPass(Effects.NONE);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StepOutcome.endPass(Effects.NONE);
            }
        }
    }

    private static boolean formed(EtcdView etcd, int founders) {
        return etcd.available() && etcd.clusterId().isPresent() && etcd.members().size() == founders
                && etcd.members().stream().allMatch(EtcdMemberView::healthy)
                && etcd.members().stream().anyMatch(EtcdMemberView::leader);
    }
}
