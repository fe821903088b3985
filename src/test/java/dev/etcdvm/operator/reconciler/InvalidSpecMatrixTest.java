package dev.etcdvm.operator.reconciler;

import static dev.etcdvm.operator.support.ClusterAssertions.assertCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.EtcdVmOperator;
import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.HostKeyPolicy;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
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
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid spec ends in SpecValid=False naming the field, phase Failed and a Warning Event, and
 * the operator never reaches for a machine. All cases run against one operator and one API server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvalidSpecMatrixTest {
    private record Case(String name, String field, Consumer<EtcdVmCluster> breakIt) {
        @Override
        public String toString() {
            return name + " -> " + field;
        }
    }

    private static final List<Case> CASES = List.of(
            new Case("version-word", "spec.version", c -> c.getSpec().setVersion("latest")),
            new Case("version-leading-v", "spec.version", c -> c.getSpec().setVersion("v3.5.16")),
            new Case("version-unsupported-major", "spec.version", c -> c.getSpec().setVersion("4.0.0")),
            new Case("version-too-old", "spec.version", c -> c.getSpec().setVersion("3.3.27")),
            new Case("no-members", "spec.members", c -> c.getSpec().setMembers(new ArrayList<>())),
            new Case("ten-members", "spec.members", c -> c.getSpec().setMembers(new ArrayList<>(IntStream.rangeClosed(1, 10)
                    .mapToObj(i -> new MemberSpec("m" + i, "10.250.0." + (10 + i))).toList()))),
            new Case("duplicate-name", "spec.members[1].name", c -> member(c, 1).setName("etcd-1")),
            new Case("duplicate-address", "spec.members[2].address", c -> member(c, 2).setAddress("10.250.0.11")),
            new Case("uppercase-name", "spec.members[0].name", c -> member(c, 0).setName("Etcd-1")),
            new Case("injected-name", "spec.members[0].name", c -> member(c, 0).setName("a;rm -rf /")),
            new Case("octet-out-of-range", "spec.members[0].address", c -> member(c, 0).setAddress("10.250.0.999")),
            new Case("command-substitution-address", "spec.members[1].address", c -> member(c, 1).setAddress("$(reboot)")),
            new Case("newline-address", "spec.members[2].address", c -> member(c, 2).setAddress("10.250.0.13\nid")),
            new Case("member-ssh-port", "spec.members[0].sshPort", c -> member(c, 0).setSshPort(70000)),
            new Case("no-ssh", "spec.ssh", c -> c.getSpec().setSsh(null)),
            new Case("injected-user", "spec.ssh.user", c -> c.getSpec().getSsh().setUser("root; id")),
            new Case("ssh-port-zero", "spec.ssh.port", c -> c.getSpec().getSsh().setPort(0)),
            new Case("no-private-key", "spec.ssh.privateKeySecretRef", c -> c.getSpec().getSsh().setPrivateKeySecretRef(null)),
            new Case("strict-without-known-hosts", "spec.ssh.knownHostsSecretRef", c -> {
                c.getSpec().getSsh().setHostKeyPolicy(HostKeyPolicy.Strict);
                c.getSpec().getSsh().setKnownHostsSecretRef(null);
            }),
            new Case("connect-timeout-zero", "spec.ssh.connectTimeoutSeconds", c -> c.getSpec().getSsh().setConnectTimeoutSeconds(0)),
            new Case("missing-key-secret", "spec.ssh.privateKeySecretRef",
                    c -> c.getSpec().getSsh().setPrivateKeySecretRef(new SecretKeyRef("no-such-secret", "id"))),
            new Case("secret-lacks-key", "spec.ssh.knownHostsSecretRef",
                    c -> c.getSpec().getSsh().setKnownHostsSecretRef(new SecretKeyRef(Specs.SSH_SECRET, "nope"))),
            new Case("ftp-base-url", "spec.binary.baseURL", c -> c.getSpec().getBinary().setBaseURL("ftp://mirror/etcd")),
            new Case("bad-sha256", "spec.binary.sha256", c -> c.getSpec().getBinary().setSha256("xyz")),
            new Case("relative-install-dir", "spec.binary.installDir", c -> c.getSpec().getBinary().setInstallDir("usr/bin")),
            new Case("dotdot-install-dir", "spec.binary.installDir", c -> c.getSpec().getBinary().setInstallDir("/usr/../etc")),
            new Case("same-ports", "spec.etcd.peerPort", c -> c.getSpec().getEtcd().setPeerPort(2379)),
            new Case("client-port-range", "spec.etcd.clientPort", c -> c.getSpec().getEtcd().setClientPort(70000)),
            new Case("data-dir-root", "spec.etcd.dataDir", c -> c.getSpec().getEtcd().setDataDir("/")),
            new Case("data-dir-etc", "spec.etcd.dataDir", c -> c.getSpec().getEtcd().setDataDir("/etc")),
            new Case("etcd-as-root", "spec.etcd.runAsUser", c -> c.getSpec().getEtcd().setRunAsUser("root")),
            new Case("election-under-5x", "spec.etcd.electionTimeoutMillis", c -> {
                c.getSpec().getEtcd().setHeartbeatIntervalMillis(300);
                c.getSpec().getEtcd().setElectionTimeoutMillis(1000);
            }),
            new Case("election-over-50s", "spec.etcd.electionTimeoutMillis", c -> c.getSpec().getEtcd().setElectionTimeoutMillis(60_000)),
            new Case("quota-too-big", "spec.etcd.quotaBackendBytes", c -> c.getSpec().getEtcd().setQuotaBackendBytes(100L << 30)),
            new Case("compaction-word", "spec.etcd.autoCompactionRetention", c -> c.getSpec().getEtcd().setAutoCompactionRetention("forever")),
            new Case("renew-after-expiry", "spec.tls.renewBeforeDays", c -> c.getSpec().getTls().setRenewBeforeDays(400)),
            new Case("validity-zero", "spec.tls.certificateValidityDays", c -> c.getSpec().getTls().setCertificateValidityDays(0)),
            new Case("missing-ca-secret", "spec.tls.caSecretRef", c -> c.getSpec().getTls().setCaSecretRef(new SecretRef("no-ca"))),
            new Case("metrics-port-on-client-port", "spec.etcd.metricsPort", c -> c.getSpec().getEtcd().setMetricsPort(2379)),
            new Case("defragment-schedule-word", "spec.maintenance.defragmentSchedule",
                    c -> c.getSpec().getMaintenance().setDefragmentSchedule("nightly")),
            new Case("defragment-percent-100", "spec.maintenance.defragmentBelowInUsePercent",
                    c -> c.getSpec().getMaintenance().setDefragmentBelowInUsePercent(100)));

    private ApiServer api;
    private EtcdVmOperator operator;
    private final RecordingObserver observer = new RecordingObserver();
    private final FakeMachines actions = new FakeMachines();
    private final FakeHosts.Access access = new FakeHosts.Access();

    @BeforeAll
    void startOperatorAndApplyAllCases() throws Exception {
        api = ApiServer.start();
        api.createPlaceholderSshSecret();
        operator = new EtcdVmOperator(api.client(), OperatorSettings.local(api.namespace(), Duration.ofSeconds(30)),
                Fakes.collaborators(access, observer, actions, new FakeMembership()));
        for (Case c : CASES) {
            EtcdVmCluster cluster = Specs.threeMembers(c.name(), api.namespace());
            c.breakIt().accept(cluster);
            api.client().resource(cluster).create();
        }
        api.client().resource(Specs.threeMembers("control-valid", api.namespace())).create();
    }

    @AfterAll
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (api != null) {
            api.close();
        }
    }

    Stream<Arguments> cases() {
        return CASES.stream().map(Arguments::of);
    }

    @Test
    void theMatrixIsLargeAndEachCaseDistinct() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(25);
        assertThat(CASES.stream().map(Case::name).distinct()).hasSameSizeAs(CASES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void invalidSpecIsRejectedWithoutTouchingAnyMachine(Case c) {
        EtcdVmCluster cluster = await().atMost(Duration.ofSeconds(30)).until(
                () -> api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace()).withName(c.name()).get(),
                r -> r.getStatus() != null && r.getStatus().getPhase() != null);

        Condition specValid = assertCondition(cluster, "SpecValid", "False");
        assertThat(specValid.getReason()).isEqualTo("InvalidSpec");
        assertThat(specValid.getMessage()).contains(c.field() + ":");
        assertThat(specValid.getObservedGeneration()).isEqualTo(cluster.getMetadata().getGeneration());
        assertThat(cluster.getStatus().getPhase()).isEqualTo(ClusterPhase.Failed);
        assertThat(cluster.getStatus().getObservedGeneration()).isEqualTo(cluster.getMetadata().getGeneration());
        assertCondition(cluster, "Ready", "False");
        assertThat(cluster.getMetadata().getFinalizers()).isNotEmpty();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventsFor(c.name()))
                .anySatisfy(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getReason()).isEqualTo("SpecInvalid");
                    assertThat(e.getMessage()).contains(c.field());
                }));
        assertThat(observer.touched(c.name())).as("no machine access for an invalid spec").isFalse();
        assertThat(actions.touched(c.name())).as("no machine change for an invalid spec").isFalse();
    }

    /** The control case proves the harness would notice if the operator ignored validation. */
    @Test
    void aValidSpecIsAcceptedAndObserved() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            EtcdVmCluster cluster = api.client().resources(EtcdVmCluster.class).inNamespace(api.namespace())
                    .withName("control-valid").get();
            assertCondition(cluster, "SpecValid", "True");
            assertThat(observer.touched("control-valid")).isTrue();
            assertThat(actions.touched("control-valid")).isTrue();
        });
    }

    private List<Event> eventsFor(String name) {
        return api.client().v1().events().inNamespace(api.namespace()).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    private static MemberSpec member(EtcdVmCluster cluster, int index) {
        return cluster.getSpec().getMembers().get(index);
    }
}
