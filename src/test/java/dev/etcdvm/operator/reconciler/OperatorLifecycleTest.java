package dev.etcdvm.operator.reconciler;

import static dev.etcdvm.operator.support.ClusterAssertions.assertCondition;
import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.EtcdVmOperator;
import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.support.ApiServer;
import dev.etcdvm.operator.support.FakeHosts;
import dev.etcdvm.operator.support.FakeMachines;
import dev.etcdvm.operator.support.FakeMembership;
import dev.etcdvm.operator.support.Fakes;
import dev.etcdvm.operator.support.RecordingObserver;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A valid cluster is picked up, finalized, given certificates and reported; an idle one is not rewritten. */
class OperatorLifecycleTest {
    private ApiServer api;
    private EtcdVmOperator operator;
    private final RecordingObserver observer = new RecordingObserver();
    private final FakeMachines actions = new FakeMachines();
    private final FakeHosts.Access access = new FakeHosts.Access();

    @BeforeEach
    void start() throws Exception {
        api = ApiServer.start();
        api.createPlaceholderSshSecret();
        operator = new EtcdVmOperator(api.client(), OperatorSettings.local(api.namespace(), Duration.ofSeconds(1)),
                Fakes.collaborators(access, observer, actions, new FakeMembership()));
    }

    @AfterEach
    void stop() {
        operator.close();
        api.close();
    }

    @Test
    void validClusterGetsFinalizerCertificatesConditionsAndMemberEntries() {
        api.client().resource(Specs.threeMembers("main", api.namespace())).create();

        EtcdVmCluster cluster = await().atMost(Duration.ofSeconds(20)).until(() -> resource("main").get(),
                c -> c.getStatus() != null && c.getStatus().getObservedGeneration() != null);

        assertThat(cluster.getMetadata().getFinalizers()).containsExactly("etcdvmclusters.etcdvm.dev/finalizer");
        assertThat(cluster.getStatus().getObservedGeneration()).isEqualTo(cluster.getMetadata().getGeneration());
        assertCondition(cluster, "SpecValid", "True");
        assertCondition(cluster, "HostsReachable", "True");
        assertCondition(cluster, "Ready", "False");
        assertThat(cluster.getStatus().getPhase()).isEqualTo(ClusterPhase.Provisioning);
        assertThat(cluster.getStatus().getReadyMembers()).isEqualTo("0/3");
        assertThat(cluster.getStatus().getClientSecretName()).isEqualTo("main-client");
        assertThat(cluster.getStatus().getEndpoints()).containsExactly(
                "https://10.250.0.11:2379", "https://10.250.0.12:2379", "https://10.250.0.13:2379");
        assertThat(cluster.getStatus().getMembers()).extracting("name", "hostKeyFingerprint", "phase").containsExactly(
                Tuple.tuple("etcd-1", "SHA256:fake-etcd-1", "Provisioning"),
                Tuple.tuple("etcd-2", "SHA256:fake-etcd-2", "Provisioning"),
                Tuple.tuple("etcd-3", "SHA256:fake-etcd-3", "Provisioning"));
        assertThat(actions.touched("main")).isTrue();

        var client = api.client().secrets().inNamespace(api.namespace()).withName("main-client").get();
        assertThat(client.getData()).containsOnlyKeys("ca.crt", "tls.crt", "tls.key", "endpoints");
        assertThat(client.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(cluster.getMetadata().getUid()));
        assertThat(cluster.getStatus().toString()).doesNotContain("PRIVATE KEY");
        assertThat(java.time.Instant.parse(cluster.getStatus().getCertificatesNotAfter()))
                .isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(364)),
                        java.time.Instant.now().plus(java.time.Duration.ofDays(366)));
    }

    @Test
    void certificatesAreIssuedOnceAndKeptAcrossPasses() throws InterruptedException {
        api.client().resource(Specs.threeMembers("stable-tls", api.namespace())).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> secretVersion("stable-tls-member-tls") != null);
        String first = secretVersion("stable-tls-member-tls");

        Thread.sleep(3_000); // more than one pass at this test's 1 s resync and 2 s requeue

        assertThat(secretVersion("stable-tls-member-tls")).isEqualTo(first);
    }

    @Test
    void passesThatFindNothingNewWriteNothing() throws InterruptedException {
        EtcdVmCluster waiting = Specs.threeMembers("steady", api.namespace());
        waiting.getSpec().getSsh().setPrivateKeySecretRef(new SecretKeyRef("created-later", "key"));
        api.client().resource(waiting).create();
        EtcdVmCluster settled = await().atMost(Duration.ofSeconds(20)).until(() -> resource("steady").get(),
                c -> c.getStatus() != null && c.getStatus().getObservedGeneration() != null);

        Thread.sleep(5_000); // the missing Secret is looked for again after four resyncs

        EtcdVmCluster later = resource("steady").get();
        assertThat(later.getMetadata().getResourceVersion()).isEqualTo(settled.getMetadata().getResourceVersion());
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

    @Test
    void aSecretOfTheSameNameThatTheClusterDoesNotOwnIsNeitherAdoptedNorOverwritten() {
        api.client().secrets().inNamespace(api.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName("adopt-ca").endMetadata()
                .addToData("note", java.util.Base64.getEncoder().encodeToString("someone else's".getBytes()))
                .build()).create();
        api.client().resource(Specs.threeMembers("adopt", api.namespace())).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            EtcdVmCluster cluster = resource("adopt").get();
            assertCondition(cluster, "SpecValid", "False");
            assertThat(condition(cluster, "SpecValid").get().getMessage())
                    .contains("adopt-ca", "not owned", "neither adopted nor overwritten");
        });
        var secret = api.client().secrets().inNamespace(api.namespace()).withName("adopt-ca").get();
        assertThat(secret.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(secret.getData()).containsOnlyKeys("note");
        assertThat(observer.touched("adopt")).isFalse();
    }

    @Test
    void anotherClustersCaSecretIsRefused() {
        api.client().resource(Specs.threeMembers("victim", api.namespace())).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> secretVersion("victim-ca") != null);
        EtcdVmCluster thief = Specs.threeMembers("thief", api.namespace());
        thief.getSpec().getTls().setCaSecretRef(new SecretRef("victim-ca"));
        api.client().resource(thief).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            EtcdVmCluster refused = resource("thief").get();
            assertCondition(refused, "SpecValid", "False");
            assertThat(condition(refused, "SpecValid").get().getMessage())
                    .contains("spec.tls.caSecretRef", "belongs to another EtcdVmCluster");
        });
        assertThat(observer.touched("thief")).as("no machine is told about the victim's CA").isFalse();
        assertThat(secretVersion("thief-member-tls")).as("nothing issued from it").isNull();
    }

    @Test
    void aMachineThatCannotBeReachedHoldsTheFormationAndSaysWhich() {
        observer.unreachable("etcd-2", Failure.of(Operation.SSH_CONNECT, FailureReason.HostUnreachable, "etcd-2",
                "connect to 10.250.0.12:22: no route to host"));
        api.client().resource(Specs.threeMembers("split", api.namespace())).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            EtcdVmCluster held = resource("split").get();
            assertCondition(held, "HostsReachable", "False");
            assertThat(condition(held, "HostsReachable").get().getReason()).isEqualTo("HostUnreachable");
            assertThat(held.getStatus().getMembers()).filteredOn(m -> m.getName().equals("etcd-2"))
                    .singleElement().satisfies(m -> assertThat(m.getPhase()).isEqualTo("Unreachable"));
        });
        assertThat(actions.touched("split")).as("a new cluster forms on every machine or on none").isFalse();
    }

    @Test
    void aPassThatCannotResolveCredentialsLeavesReadyUnknownAndTouchesNothing() {
        access.failing(new KubernetesClientException("secrets \"ssh\" is forbidden", 403, null));
        api.client().resource(Specs.threeMembers("denied", api.namespace())).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            EtcdVmCluster denied = resource("denied").get();
            assertCondition(denied, "Ready", "Unknown");
            assertThat(condition(denied, "Ready").get().getMessage()).contains("forbidden");
        });
        assertThat(observer.touched("denied")).isFalse();
        assertThat(actions.touched("denied")).isFalse();
    }

    private String secretVersion(String name) {
        var secret = api.client().secrets().inNamespace(api.namespace()).withName(name).get();
        return secret == null ? null : secret.getMetadata().getResourceVersion();
    }

    private Resource<EtcdVmCluster> resource(String name) {
        return api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName(name);
    }
}
