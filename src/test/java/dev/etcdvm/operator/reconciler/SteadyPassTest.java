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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A steady pass of a Ready 3-member cluster does its work once: one resolution of SSH credentials and
 * at most one GET of each Secret it references, counted on the requests the operator sends.
 */
class SteadyPassTest {
    private static final int PASSES = 4;

    private InterceptedOperator operator;
    private ApiServer api;
    private final Map<String, AtomicInteger> secretGets = new ConcurrentHashMap<>();
    private final HealthyEtcdObserver observer = new HealthyEtcdObserver();
    private final FakeHosts.Access access = new FakeHosts.Access();

    @BeforeEach
    void start() throws Exception {
        operator = new InterceptedOperator(new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String path = request.uri().getPath();
                if ("GET".equals(request.method()) && path.contains("/secrets/")) {
                    secretGets.computeIfAbsent(path.substring(path.lastIndexOf('/') + 1),
                            k -> new AtomicInteger()).incrementAndGet();
                }
            }
        }, access, observer, Duration.ofSeconds(1));
        api = operator.api();
    }

    @AfterEach
    void stop() {
        operator.close();
    }

    @Test
    void aSteadyPassResolvesCredentialsOnceAndReadsEachSecretOnce() {
        api.client().resource(Specs.threeMembers("steady", api.namespace())).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertCondition(
                api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName("steady").get(),
                "Ready", "True"));
        long passesBefore = observer.observations();
        int resolutionsBefore = access.resolutions();
        secretGets.clear();

        await().atMost(Duration.ofSeconds(20)).until(() -> observer.observations() >= passesBefore + PASSES);
        long passes = observer.observations() - passesBefore;
        int resolutions = access.resolutions() - resolutionsBefore;

        // A pass may be under way when the window closes: it has resolved but not yet observed.
        assertThat(resolutions).isBetween((int) passes, (int) passes + 1);
        assertThat(secretGets).containsOnlyKeys(Specs.SSH_SECRET, "steady-ca", "steady-member-tls", "steady-client");
        secretGets.forEach((name, gets) -> assertThat(gets.get()).as("GETs of Secret " + name + " in " + passes
                + " passes").isLessThanOrEqualTo((int) passes + 1));
    }
}
