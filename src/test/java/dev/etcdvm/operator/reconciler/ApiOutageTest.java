package dev.etcdvm.operator.reconciler;

import static dev.etcdvm.operator.support.ClusterAssertions.assertCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.support.ApiServer;
import dev.etcdvm.operator.support.FakeHosts;
import dev.etcdvm.operator.support.HealthyEtcdObserver;
import dev.etcdvm.operator.support.InterceptedOperator;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API server that refuses every call for longer than JOSDK's retries last (five, about 26 s) does not
 * leave the operator blind: once it answers again, the cluster is observed within one resync.
 */
class ApiOutageTest {
    private static final Duration RESYNC = Duration.ofSeconds(1);
    private static final Duration OUTAGE = Duration.ofSeconds(30); // JOSDK gives up after about 26 s

    private final AtomicBoolean down = new AtomicBoolean();
    private final HealthyEtcdObserver observer = new HealthyEtcdObserver();
    private InterceptedOperator operator;
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        // While "down", every request the operator sends goes to a port nothing listens on.
        operator = new InterceptedOperator(new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (down.get()) {
                    URI uri = request.uri();
                    builder.uri(URI.create("http://127.0.0.1:1" + uri.getRawPath()));
                }
            }
        }, new FakeHosts.Access(), observer, RESYNC);
        api = operator.api();
    }

    @AfterEach
    void stop() {
        operator.close();
    }

    @Test
    void aClusterIsObservedAgainWithinOneResyncOfTheApiServerReturning() throws InterruptedException {
        api.client().resource(Specs.threeMembers("outage", api.namespace())).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertCondition(
                api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName("outage").get(),
                "Ready", "True"));

        down.set(true);
        long observedBefore = observer.observations();
        Thread.sleep(OUTAGE.toMillis()); // the outage itself: what is tested is what happens after it
        assertThat(observer.observations()).as("no pass gets past its first API call while it is down")
                .isLessThanOrEqualTo(observedBefore + 1);
        down.set(false);
        long returned = System.nanoTime();
        long observedDuring = observer.observations();

        await().atMost(RESYNC.multipliedBy(3)).until(() -> observer.observations() > observedDuring);
        System.out.printf("observed again %d ms after the API server returned%n",
                (System.nanoTime() - returned) / 1_000_000);
    }
}
