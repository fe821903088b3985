package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.e2e.MembershipProbe.member;
import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.e2e.MembershipProbe.Member;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause, and what each deletion policy leaves on the machines, checked on the machines themselves. */
class LifecycleIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private MembershipProbe probe;

    @BeforeEach
    void probe(@TempDir Path dir) {
        probe = new MembershipProbe(fixture, testbed, dir);
    }

    /** Runs before the base class lets the clusters go: their machines are reused, not wiped by deletion. */
    @AfterEach
    void retainOnRelease() {
        if (fixture != null) {
            fixture.api().client().resources(EtcdVmCluster.class).inNamespace(fixture.api().namespace()).list().getItems()
                    .forEach(c -> fixture.resource(c.getMetadata().getName()).edit(e -> {
                        e.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
                        return e;
                    }));
        }
    }

    @Test
    void whilePausedSpecChangesTouchNothingAndUnpausingAppliesThem() throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2");
        fixture.api().client().resource(fixture.cluster("paused", "3.5.16", vms.subList(0, 1))).create();
        fixture.awaitReady("paused", READY_WITHIN);

        fixture.edit("paused", c -> {
            c.getSpec().setPaused(true);
            c.getSpec().getMembers().add(member(vms.get(1)));
            return c;
        });
        awaitProgressing("Paused", "spec.paused");
        String probedBefore = fixture.resource("paused").get().getStatus().getMembers().get(0).getLastProbeTime();
        Thread.sleep(OperatorFixture.RESYNC.multipliedBy(3).toMillis());
        assertThat(probe.members("paused")).extracting(Member::name).containsExactly("etcd-vm1");
        assertThat(probe.service(vms.get(1))).as("the added machine is untouched").isEqualTo("inactive no-unit no-data no-binary no-config");
        EtcdVmCluster paused = fixture.resource("paused").get();
        assertThat(paused.getStatus().getMembers().get(0).getLastProbeTime()).as("still observed").isNotEqualTo(probedBefore);
        assertThat(paused.getStatus().getMembers()).extracting(m -> m.getName() + ":" + m.getPhase())
                .containsExactly("etcd-vm1:Running", "etcd-vm2:Provisioning");

        // The annotation pauses as well, without touching the spec.
        fixture.edit("paused", c -> {
            c.getSpec().setPaused(false);
            c.getMetadata().setAnnotations(Map.of(EtcdVmCluster.PAUSED_ANNOTATION, "true"));
            return c;
        });
        awaitProgressing("Paused", EtcdVmCluster.PAUSED_ANNOTATION);
        assertThat(probe.service(vms.get(1))).isEqualTo("inactive no-unit no-data no-binary no-config");

        fixture.edit("paused", c -> {
            c.getMetadata().setAnnotations(Map.of());
            return c;
        });
        assertThat(fixture.awaitReady("paused", READY_WITHIN).getStatus().getReadyMembers()).isEqualTo("2/2");
        assertThat(probe.members("paused")).extracting(Member::name).containsExactly("etcd-vm1", "etcd-vm2");
    }

    @Test
    void eachDeletionPolicyLeavesTheMachinesAsPromised() {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        Map<String, DeletionPolicy> policies = Map.of("retain", DeletionPolicy.Retain, "stop", DeletionPolicy.StopServices,
                "wipe", DeletionPolicy.Wipe);
        List<String> names = List.of("retain", "stop", "wipe");
        for (int i = 0; i < 3; i++) {
            EtcdVmCluster cluster = fixture.cluster(names.get(i), "3.5.16", List.of(vms.get(i)));
            cluster.getSpec().setDeletionPolicy(policies.get(names.get(i)));
            fixture.api().client().resource(cluster).create();
        }
        names.forEach(n -> fixture.awaitReady(n, READY_WITHIN));
        fixture.deleteAllClusters(Duration.ofSeconds(60));

        assertThat(probe.service(vms.get(0))).as("Retain").isEqualTo("active enabled data binary config");
        assertThat(probe.service(vms.get(1))).as("StopServices").isEqualTo("inactive disabled data binary config");
        assertThat(probe.service(vms.get(2))).as("Wipe").isEqualTo("inactive no-unit no-data no-binary no-config");
        assertThat(testbed.sshExec(vms.get(2), "root", "ls -A /var/lib | grep -c etcd").stdout().trim()).isEqualTo("0");
    }

    @Test
    void anUnreachableMachineHoldsTheDeletionUntilForced() {
        List<Machine> vms = fixture.fresh("vm4");
        EtcdVmCluster cluster = fixture.cluster("stuck", "3.5.16", vms);
        cluster.getSpec().setDeletionPolicy(DeletionPolicy.StopServices);
        cluster.getSpec().getSsh().setConnectTimeoutSeconds(2);
        fixture.api().client().resource(cluster).create();
        fixture.awaitReady("stuck", READY_WITHIN);

        testbed.partition("vm4");
        try {
            fixture.resource("stuck").delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> !probe.events("stuck", "CleanupBlocked").isEmpty());
            assertThat(fixture.resource("stuck").get()).as("held by its finalizer").isNotNull();
            assertThat(probe.events("stuck", "CleanupBlocked").get(0).getMessage())
                    .contains("etcd-vm4", EtcdVmCluster.FORCE_DELETE_ANNOTATION);
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.resource("stuck").get().getStatus().getPhase(),
                    phase -> phase != null && phase.name().equals("Deleting"));
            assertThat(condition(fixture.resource("stuck").get(), "Ready").get().getReason()).isEqualTo("CleanupBlocked");

            fixture.edit("stuck", c -> {
                c.getMetadata().setAnnotations(Map.of(EtcdVmCluster.FORCE_DELETE_ANNOTATION, "true"));
                return c;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("stuck").get() == null);
        } finally {
            testbed.heal("vm4");
        }
        assertThat(probe.service(vms.get(0))).as("forced past: left as it was").startsWith("active enabled data");
    }

    private void awaitProgressing(String reason, String messagePart) {
        Condition progressing = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> condition(fixture.resource("paused").get(), "Progressing").orElse(null),
                        c -> c != null && reason.equals(c.getReason()) && c.getMessage().contains(messagePart));
        assertThat(progressing.getStatus()).isEqualTo("False");
        assertThat(progressing.getMessage()).contains(messagePart);
    }
}
