package dev.etcdvm.operator.reconciler.plan;

import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M1;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M2;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M3;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.NOW;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.healthyThree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.PlanRuns;
import dev.etcdvm.operator.support.RecordingObserver;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pass that started the founders reports the cluster they formed, without another pass. */
class FormationTest {
    private static final EtcdVmCluster CLUSTER = Specs.cluster("c", "ns", List.of(M1, M2, M3));
    private static final ObservedCluster NOTHING_RUNS = new ObservedCluster(List.of(M1, M2, M3).stream()
            .map(m -> HostObservation.reachable(m.getName(), m.getAddress(), "SHA256:x", RecordingObserver.freshMachine()))
            .toList(), EtcdView.unavailable("no member has started yet"));

    @Test
    void foundersThatFormedAreReportedInTheSamePass() {
        EtcdObserverAfter observer = new EtcdObserverAfter(2, healthyThree().etcd());
        PlanRuns runs = new PlanRuns().observer(observer);
        Pass after = runs.run(started(3));
        assertThat(runs.plan().actions()).last().isInstanceOf(Action.AwaitFormation.class);
        assertThat(observer.asked.get()).isEqualTo(3);
        assertThat(after.observed().etcd().clusterId()).contains("c1");
        assertThat(after.match().settled()).as("paired again with the etcd just seen").isTrue();
    }

    @Test
    void aFounderThatDidNotStartIsNotWaitedFor() {
        EtcdObserverAfter observer = new EtcdObserverAfter(0, healthyThree().etcd());
        Pass after = new PlanRuns().observer(observer).run(started(2));
        assertThat(after.effects().etcdSeen()).isEmpty();
        assertThat(observer.asked.get()).isZero();
    }

    /** A bootstrap pass whose provisioning started {@code count} of the three founders. */
    private static Pass started(int count) {
        Decision bootstrap = new Decision(Decision.Mode.BOOTSTRAP, Map.of(), new MembershipChange.None(),
                "Bootstrapping", "", Optional.empty(), Optional.empty());
        List<HostResult> results = List.of(M1, M2, M3).subList(0, count).stream()
                .map(m -> HostResult.done(m.getName(), new HostOutcome(List.of(), true, true, false))).toList();
        return Passes.of(CLUSTER, NOTHING_RUNS, bootstrap, NOW).after(Effects.ofHosts(results));
    }

    /** etcd that answers, formed, from the given attempt on. */
    private static final class EtcdObserverAfter implements ClusterObserver {
        private final int unavailableAttempts;
        private final EtcdView formed;
        private final AtomicInteger asked = new AtomicInteger();

        EtcdObserverAfter(int unavailableAttempts, EtcdView formed) {
            this.unavailableAttempts = unavailableAttempts;
            this.formed = formed;
        }

        @Override
        public ObservedCluster observe(EtcdVmCluster cluster, ClusterTls tls, ClusterHosts hosts) {
            throw new AssertionError("the machines are not probed again");
        }

        @Override
        public EtcdView observeEtcd(EtcdVmCluster cluster, ClusterTls tls) {
            return asked.incrementAndGet() <= unavailableAttempts ? EtcdView.unavailable("connection refused") : formed;
        }
    }
}
