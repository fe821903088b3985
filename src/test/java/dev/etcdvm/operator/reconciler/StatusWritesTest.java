package dev.etcdvm.operator.reconciler;

import static dev.etcdvm.operator.support.ClusterAssertions.assertCondition;
import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.support.FakeHosts;
import dev.etcdvm.operator.support.HealthyEtcdObserver;
import dev.etcdvm.operator.support.InterceptedOperator;
import dev.etcdvm.operator.support.Specs;
import dev.etcdvm.operator.support.SteppedClock;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A steady Ready 3-member cluster whose raft index moves on every pass (as one taking writes does) costs status
 * writes only as often as the refresh interval allows: counted on the requests the operator sends.
 */
class StatusWritesTest {
    private static final Duration RESYNC = Duration.ofMillis(300);
    private static final int PASSES = 20;

    @Test
    void aShortRefreshIsRespected() throws Exception {
        Counted run = steadyPasses(Duration.ofSeconds(2));
        System.out.printf("refresh 2 s: %d status writes in %d steady passes over %d ms%n", run.writes(), run.passes(),
                run.millis());
        assertThat(run.writes()).isPositive().isLessThanOrEqualTo((int) (run.millis() / 2000) + 1);
    }

    @Test
    void withoutTheHoldBackEveryPassWrites() throws Exception {
        Counted run = steadyPasses(Duration.ZERO);
        assertThat(run.writes()).as("the control: numbers move every pass").isGreaterThanOrEqualTo(run.passes() - 1);
    }

    /**
     * The measure: five minutes of a steady cluster, each pass ten seconds of the operator's clock, cost at
     * most five status writes; a new leader is still in status after the very next pass.
     */
    @Test
    void fiveMinutesOfASteadyClusterCostAtMostFiveWritesAndANewLeaderShowsAtOnce() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        HealthyEtcdObserver observer = new HealthyEtcdObserver(true);
        SteppedClock clock = new SteppedClock(Instant.now().minus(Duration.ofMinutes(10)));
        try (InterceptedOperator operator = new InterceptedOperator(counting(writes), new FakeHosts.Access(), observer,
                RESYNC, Duration.ofSeconds(60), clock)) {
            var steady = readySteadyCluster(operator, observer);
            int writesBefore = writes.get();
            long passesBefore = observer.observations();
            observer.onLook(() -> clock.advance(Duration.ofSeconds(10)));
            await().atMost(Duration.ofSeconds(60)).until(() -> observer.observations() >= passesBefore + 30);
            observer.onLook(() -> { });
            int written = writes.get() - writesBefore;
            System.out.printf("5 minutes of operator time (%d passes): %d status writes%n",
                    observer.observations() - passesBefore, written);
            assertThat(written).isBetween(1, 5);

            assertThat(steady.get().getStatus().getLeader()).isEqualTo("etcd-1");
            long before = observer.observations();
            observer.leader(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> "etcd-2".equals(steady.get().getStatus().getLeader()));
            assertThat(observer.observations() - before).as("passes until the new leader was in status")
                    .isLessThanOrEqualTo(2);
        }
    }

    /** Something that happened is written at once, hold-back or not: etcd going silent under a Ready cluster. */
    @Test
    void etcdGoingSilentIsInStatusAtTheNextPass() throws Exception {
        HealthyEtcdObserver observer = new HealthyEtcdObserver(true);
        try (InterceptedOperator operator = new InterceptedOperator(counting(new AtomicInteger()), new FakeHosts.Access(),
                observer, RESYNC, Duration.ofSeconds(60), Clock.systemUTC())) {
            var steady = readySteadyCluster(operator, observer);
            long before = observer.observations();
            observer.silence("context deadline exceeded");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertCondition(steady.get(), "Ready", "False");
                assertThat(condition(steady.get(), "Ready").get().getMessage()).contains("context deadline exceeded");
            });
            assertThat(observer.observations() - before).as("passes until it was in status").isLessThanOrEqualTo(2);
        }
    }

    private static Interceptor counting(AtomicInteger writes) {
        return new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (!"GET".equals(request.method()) && request.uri().getPath().endsWith("/status")) {
                    writes.incrementAndGet();
                }
            }
        };
    }

    private record Counted(int writes, int passes, long millis) {
    }

    /** A 3-member cluster created, Ready, and past the passes that settle it (phase, conditions, first numbers). */
    private static Resource<EtcdVmCluster> readySteadyCluster(InterceptedOperator operator, HealthyEtcdObserver observer) {
        var clusters = operator.api().client().resources(EtcdVmCluster.class).inNamespace(operator.api().namespace());
        clusters.resource(Specs.threeMembers("steady", operator.api().namespace())).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertCondition(clusters.withName("steady").get(),
                "Ready", "True"));
        long settled = observer.observations() + 3;
        await().atMost(Duration.ofSeconds(20)).until(() -> observer.observations() >= settled);
        return clusters.withName("steady");
    }

    private static Counted steadyPasses(Duration refresh) throws Exception {
        AtomicInteger writes = new AtomicInteger();
        HealthyEtcdObserver observer = new HealthyEtcdObserver(true);
        try (InterceptedOperator operator = new InterceptedOperator(counting(writes), new FakeHosts.Access(), observer,
                RESYNC, refresh)) {
            readySteadyCluster(operator, observer);
            long passesBefore = observer.observations();
            int writesBefore = writes.get();
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> observer.observations() >= passesBefore + PASSES);
            return new Counted(writes.get() - writesBefore, (int) (observer.observations() - passesBefore),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}
