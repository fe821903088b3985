package dev.etcdvm.operator.reconciler;

import static dev.etcdvm.operator.support.ClusterAssertions.assertCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.support.FakeHosts;
import dev.etcdvm.operator.support.HealthyEtcdObserver;
import dev.etcdvm.operator.support.InterceptedOperator;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
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
    void withTheDefaultMinuteNumbersAloneAreNotWritten() throws Exception {
        Counted run = steadyPasses(Duration.ofSeconds(60));
        System.out.printf("refresh 60 s: %d status writes in %d steady passes%n", run.writes(), run.passes());
        assertThat(run.writes()).isLessThanOrEqualTo(1);
    }

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

    private record Counted(int writes, int passes, long millis) {
    }

    private static Counted steadyPasses(Duration refresh) throws Exception {
        AtomicInteger writes = new AtomicInteger();
        HealthyEtcdObserver observer = new HealthyEtcdObserver(true);
        try (InterceptedOperator operator = new InterceptedOperator(new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (!"GET".equals(request.method()) && request.uri().getPath().endsWith("/status")) {
                    writes.incrementAndGet();
                }
            }
        }, new FakeHosts.Access(), observer, RESYNC, refresh)) {
            var clusters = operator.api().client().resources(EtcdVmCluster.class).inNamespace(operator.api().namespace());
            clusters.resource(Specs.threeMembers("steady", operator.api().namespace())).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertCondition(clusters.withName("steady").get(),
                    "Ready", "True"));
            // Past the passes that settle the cluster (phase, conditions, first numbers), then count.
            await().atMost(Duration.ofSeconds(20)).until(() -> observer.observations() >= 5);
            long passesBefore = observer.observations();
            int writesBefore = writes.get();
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> observer.observations() >= passesBefore + PASSES);
            return new Counted(writes.get() - writesBefore, (int) (observer.observations() - passesBefore),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}
