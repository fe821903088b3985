package dev.etcdvm.operator.reconciler;

import static dev.etcdvm.operator.support.ClusterAssertions.assertCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.EtcdVmOperator;
import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.support.ApiServer;
import dev.etcdvm.operator.support.RecordingObserver;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A valid cluster is picked up, finalized, reported, and left alone while nothing changes. */
class OperatorLifecycleTest {
    private ApiServer api;
    private EtcdVmOperator operator;
    private final RecordingObserver observer = new RecordingObserver();

    @BeforeEach
    void start() throws Exception {
        api = ApiServer.start();
        api.client().secrets().inNamespace(api.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(Specs.SSH_SECRET).endMetadata()
                .addToStringData(Specs.PRIVATE_KEY, "x").addToStringData(Specs.KNOWN_HOSTS, "x").build()).create();
        operator = new EtcdVmOperator(api.client(), OperatorSettings.local(api.namespace(), Duration.ofSeconds(1)),
                observer, () -> { });
    }

    @AfterEach
    void stop() {
        operator.close();
        api.close();
    }

    @Test
    void validClusterGetsFinalizerConditionsAndMemberEntries() {
        api.client().resource(Specs.threeMembers("main", api.namespace())).create();

        EtcdVmCluster cluster = await().atMost(Duration.ofSeconds(20)).until(() -> resource("main").get(),
                c -> c.getStatus() != null && c.getStatus().getObservedGeneration() != null);

        assertThat(cluster.getMetadata().getFinalizers()).containsExactly("etcdvmclusters.etcdvm.dev/finalizer");
        assertThat(cluster.getStatus().getObservedGeneration()).isEqualTo(cluster.getMetadata().getGeneration());
        assertCondition(cluster, "SpecValid", "True");
        assertCondition(cluster, "HostsReachable", "True");
        assertCondition(cluster, "Ready", "False");
        assertThat(cluster.getStatus().getPhase()).isEqualTo(ClusterPhase.Pending);
        assertThat(cluster.getStatus().getReadyMembers()).isEqualTo("0/3");
        assertThat(cluster.getStatus().getMembers()).extracting("name", "hostKeyFingerprint").containsExactly(
                org.assertj.core.groups.Tuple.tuple("etcd-1", "SHA256:fake-etcd-1"),
                org.assertj.core.groups.Tuple.tuple("etcd-2", "SHA256:fake-etcd-2"),
                org.assertj.core.groups.Tuple.tuple("etcd-3", "SHA256:fake-etcd-3"));
    }

    @Test
    void resyncsThatFindNothingNewWriteNothing() throws InterruptedException {
        api.client().resource(Specs.threeMembers("steady", api.namespace())).create();
        EtcdVmCluster settled = await().atMost(Duration.ofSeconds(20)).until(() -> resource("steady").get(),
                c -> c.getStatus() != null && c.getStatus().getObservedGeneration() != null);

        Thread.sleep(3_500); // three resync periods of one second each

        EtcdVmCluster later = resource("steady").get();
        assertThat(later.getMetadata().getResourceVersion()).isEqualTo(settled.getMetadata().getResourceVersion());
        assertThat(later.getStatus().getConditions()).isEqualTo(settled.getStatus().getConditions());
    }

    @Test
    void fixingASpecFlipsSpecValidAndKeepsTheOperatorOffSpec() {
        EtcdVmCluster broken = Specs.threeMembers("fixme", api.namespace());
        broken.getSpec().getEtcd().setDataDir("/etc");
        api.client().resource(broken).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertCondition(resource("fixme").get(), "SpecValid", "False"));
        assertThat(observer.touched("fixme")).isFalse();

        resource("fixme").edit(c -> {
            c.getSpec().getEtcd().setDataDir("/var/lib/etcd");
            return c;
        });

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            EtcdVmCluster fixed = resource("fixme").get();
            assertCondition(fixed, "SpecValid", "True");
            assertThat(fixed.getStatus().getObservedGeneration()).isEqualTo(2L);
            assertThat(fixed.getSpec().getEtcd().getDataDir()).isEqualTo("/var/lib/etcd");
        });
        assertThat(observer.touched("fixme")).isTrue();
    }

    private Resource<EtcdVmCluster> resource(String name) {
        return api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName(name);
    }
}
