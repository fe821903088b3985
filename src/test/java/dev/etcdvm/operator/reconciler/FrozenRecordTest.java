package dev.etcdvm.operator.reconciler;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.support.FakeHosts;
import dev.etcdvm.operator.support.HealthyEtcdObserver;
import dev.etcdvm.operator.support.InterceptedOperator;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A freeze outlives the pass that found it: what it is judged against in status is not overwritten by it. */
class FrozenRecordTest {

    @Test
    void aClusterIdMismatchStaysFrozenOverTheNextPasses() throws Exception {
        HealthyEtcdObserver observer = new HealthyEtcdObserver();
        try (InterceptedOperator operator = new InterceptedOperator(new Interceptor() { }, new FakeHosts.Access(),
                observer, Duration.ofMillis(300), Duration.ZERO, Clock.systemUTC())) {
            var clusters = operator.api().client().resources(EtcdVmCluster.class).inNamespace(operator.api().namespace());
            clusters.resource(Specs.threeMembers("formed", operator.api().namespace())).create();
            var formed = clusters.withName("formed");
            await().atMost(Duration.ofSeconds(20)).until(() -> condition(formed.get(), "Ready")
                    .filter(r -> "True".equals(r.getStatus())).isPresent());

            observer.clusterId("c2");
            await().atMost(Duration.ofSeconds(10)).until(() -> condition(formed.get(), "Ready")
                    .filter(r -> "ClusterIdMismatch".equals(r.getReason())).isPresent());
            long seen = observer.observations();
            await().atMost(Duration.ofSeconds(20)).until(() -> observer.observations() >= seen + 5);
            EtcdVmCluster later = formed.get();
            assertThat(condition(later, "Ready").orElseThrow().getReason()).isEqualTo("ClusterIdMismatch");
            assertThat(later.getStatus().getClusterId()).as("the id this resource formed").isEqualTo("c1");
        }
    }
}
