package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.HostKeyPolicy;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.support.Specs;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destructive actions prove on the machine that it is this cluster's, in the same script that acts:
 * an invalid spec, another cluster's machine, or an edited status never make the operator stop or wipe
 * anything it does not own.
 */
class DoNoHarmIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private MembershipProbe probe;

    @BeforeEach
    void probe(@TempDir Path dir) {
        probe = new MembershipProbe(fixture, testbed, dir);
    }

    @Test
    void deletingAnInvalidSpecWithWipeLeavesSystemDirectoriesIntact() {
        Machine vm = fixture.fresh("vm1").get(0);
        String before = listing(vm, "/var/lib");
        EtcdVmCluster cluster = fixture.cluster("invalid", "3.5.16", List.of(vm));
        cluster.getSpec().getEtcd().setDataDir("/var/lib");
        cluster.getSpec().setDeletionPolicy(DeletionPolicy.Wipe);
        fixture.api().client().resource(cluster).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("invalid").get(),
                c -> condition(c, "SpecValid").map(s -> "False".equals(s.getStatus())).orElse(false));

        fixture.resource("invalid").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("invalid").get() == null);

        assertThat(listing(vm, "/var/lib")).as("/var/lib after deleting a Wipe cluster whose dataDir was /var/lib")
                .isEqualTo(before).contains("dpkg");
        assertThat(probe.events("invalid", "CleanupSkipped")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("spec.etcd.dataDir", "not applied"));
    }

    /** A data dir that is a mount point (a dedicated disk, perhaps shared) is never wiped: released as Retain. */
    @Test
    void wipingADataDirThatIsAMountPointIsRefused() {
        Machine vm = fixture.fresh("vm5").get(0);
        CommandResult mounted = testbed.sshExec(vm, "root", "mkdir -p /var/lib/etcd"
                + " && mount -t tmpfs -o size=600m,mode=0700 tmpfs /var/lib/etcd");
        assertThat(mounted.exitCode()).as(mounted.toString()).isZero();
        EtcdVmCluster cluster = fixture.cluster("mounted", "3.5.16", List.of(vm));
        cluster.getSpec().setDeletionPolicy(DeletionPolicy.Wipe);
        fixture.api().client().resource(cluster).create();
        fixture.awaitReady("mounted", READY_WITHIN);

        fixture.resource("mounted").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.resource("mounted").get() == null);
        assertThat(probe.events("mounted", "MachineNotOwned")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("is a mount point", "released as Retain"));
        assertThat(testbed.sshExec(vm, "root", "mountpoint -q /var/lib/etcd && test -d /var/lib/etcd/member/wal")
                .exitCode()).as("the mounted data dir and its data are still there").isZero();
        assertThat(probe.service(vm)).as("nothing else wiped either").contains("data", "binary", "config");
    }

    @Test
    void deletingAClusterThatListsAnotherClustersMachineLeavesThatClusterRunning() {
        Machine shared = fixture.fresh("vm1").get(0);
        fixture.api().client().resource(fixture.cluster("owner", "3.5.16", List.of(shared))).create();
        fixture.awaitReady("owner", READY_WITHIN);

        EtcdVmCluster intruder = fixture.cluster("intruder", "3.5.16", List.of(shared));
        intruder.getSpec().setDeletionPolicy(DeletionPolicy.Wipe);
        fixture.api().client().resource(intruder).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("intruder").get(),
                c -> condition(c, "Ready").map(r -> "ForeignData".equals(r.getReason())).orElse(false));

        fixture.resource("intruder").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("intruder").get() == null);

        assertThat(probe.service(shared)).as("the owner's member").isEqualTo("active enabled data binary config");
        assertThat(probe.events("intruder", "MachineNotOwned")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("etcd-vm1", "another EtcdVmCluster"));
        assertThat(condition(fixture.awaitReady("owner", READY_WITHIN), "Ready").get().getStatus()).isEqualTo("True");
    }

    @Test
    void aRetiringEntryEditedToPointAtAnotherClustersMachineTouchesNothing() {
        List<Machine> vms = fixture.fresh("vm1", "vm2");
        fixture.api().client().resource(fixture.cluster("victim", "3.5.16", vms.subList(0, 1))).create();
        EtcdVmCluster attacker = fixture.cluster("attacker", "3.5.16", vms.subList(1, 2));
        attacker.getSpec().setDeletionPolicy(DeletionPolicy.Wipe);
        fixture.api().client().resource(attacker).create();
        fixture.awaitReady("victim", READY_WITHIN);
        fixture.awaitReady("attacker", READY_WITHIN);

        // Anyone allowed to patch /status can list any machine as one leaving the cluster.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(5))
                .ignoreException(KubernetesClientException.class).until(() -> {
            fixture.resource("attacker").editStatus(c -> {
                MemberStatus aimed = new MemberStatus();
                aimed.setName("etcd-vm1");
                aimed.setAddress(vms.get(0).address());
                aimed.setId(victimMemberId(vms.get(0)));
                aimed.setPhase("Retiring");
                c.getStatus().setRetiringMembers(List.of(aimed));
                return c;
            });
            return !probe.events("attacker", "MachineNotOwned").isEmpty();
        });

        assertThat(probe.events("attacker", "MachineNotOwned").get(0).getMessage()).contains("another EtcdVmCluster");
        assertThat(probe.service(vms.get(0))).as("the victim's member").isEqualTo("active enabled data binary config");
        assertThat(fixture.awaitReady("victim", READY_WITHIN).getStatus().getReadyMembers()).isEqualTo("1/1");
    }

    @Test
    void aWipedSingleMemberIsDataLossFrozenUntilTheUserAcceptsIt(@TempDir Path etcdctlDir) {
        Machine vm = fixture.fresh("vm3").get(0);
        fixture.api().client().resource(fixture.cluster("lossy", "3.5.16", List.of(vm))).create();
        fixture.awaitReady("lossy", READY_WITHIN);
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret("lossy"), etcdctlDir);
        // Ready is the cluster formed and healthy; its very first write may still be turned away while the
        // new leader settles, so the write is retried until etcd acknowledges it.
        await().atMost(Duration.ofSeconds(20)).until(() -> etcdctl.run("put", "/kept/key", "value"),
                put -> put.exitCode() == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("lossy").get().getStatus(),
                s -> s.getHighestRaftIndex() != null && s.getHighestRaftIndex() > 0
                        && s.getMembers().get(0).getPhase().equals("Running"));
        // The pass after the one that saw the cluster form seals the member's initial settings.
        await().atMost(Duration.ofSeconds(30)).until(() -> testbed.sshExec(vm, "root",
                "cat /etc/etcd/initial-cluster.env").stdout(), env -> !env.contains("=new"));

        // A replaced disk: the member's data is gone and etcd starts again on an empty data dir. A pass that
        // sees etcd stopped starts it again, which can race the removal: then the whole step is done again.
        await().atMost(Duration.ofSeconds(30)).until(() -> testbed.sshExec(vm, "root", "systemctl stop etcd"
                + " && rm -rf /var/lib/etcd/member && systemctl start --no-block etcd"), replaced -> replaced.exitCode() == 0);

        EtcdVmCluster lost = await().atMost(Duration.ofSeconds(60)).until(() -> fixture.resource("lossy").get(),
                c -> condition(c, "Ready").map(r -> "DataLossDetected".equals(r.getReason())).orElse(false));
        assertThat(condition(lost, "Ready").get().getStatus()).isEqualTo("False");
        assertThat(condition(lost, "Ready").get().getMessage()).contains("etcd-vm3", "accept-data-loss");
        assertThat(lost.getStatus().getPhase().name()).isEqualTo("Failed");
        assertThat(probe.events("lossy", "ChangesFrozen")).isNotEmpty();
        // Frozen: over the passes of the next seconds nothing forms a new, empty cluster on the machine.
        long probed = lastProbeSecond("lossy");
        await().atMost(Duration.ofSeconds(40)).until(() -> lastProbeSecond("lossy") >= probed + 6);
        assertThat(condition(fixture.resource("lossy").get(), "Ready").get().getReason()).isEqualTo("DataLossDetected");
        assertThat(testbed.sshExec(vm, "root", "ls /var/lib/etcd/member/wal 2>/dev/null | grep -c '\\.wal$'")
                .stdout().trim()).as("write-ahead log files: no new cluster was formed").isEqualTo("0");
        assertThat(testbed.sshExec(vm, "root", "cat /etc/etcd/initial-cluster.env").stdout())
                .contains("ETCD_INITIAL_CLUSTER_STATE=existing").doesNotContain("=new");

        fixture.edit("lossy", c -> {
            c.getMetadata().setAnnotations(Map.of(EtcdVmCluster.ACCEPT_DATA_LOSS_ANNOTATION, "replaced disk"));
            return c;
        });
        EtcdVmCluster resumed = fixture.awaitReady("lossy", READY_WITHIN);
        assertThat(resumed.getStatus().getAcceptedDataLoss()).isEqualTo("replaced disk");
        assertThat(probe.events("lossy", "DataLossAccepted")).isNotEmpty();
        assertThat(etcdctl.run("get", "/kept/key", "--print-value-only").stdout().trim())
                .as("the accepted loss: the key is gone").isEmpty();
    }

    @Test
    void theSameMachineUnderTwoAddressesIsRefusedBeforeAnyCommand() {
        Machine vm = fixture.fresh("vm2").get(0);
        String alias = "10.250.0.112"; // a second address of the same machine, like a second NIC
        testbed.alias(vm.name(), alias);
        try {
            EtcdVmCluster twice = fixture.cluster("twice", "3.5.16", List.of(vm));
            twice.getSpec().getMembers().add(new MemberSpec("etcd-alias", alias));
            twice.getSpec().getSsh().setHostKeyPolicy(HostKeyPolicy.AcceptNew); // the alias is pinned on first use
            fixture.api().client().resource(twice).create();

            EtcdVmCluster refused = await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("twice").get(),
                    c -> condition(c, "HostsReachable").map(h -> "DuplicateMachine".equals(h.getReason())).orElse(false));
            assertThat(condition(refused, "HostsReachable").get().getMessage())
                    .contains("etcd-vm2", "etcd-alias", "same machine");
            assertThat(condition(refused, "Ready").get().getStatus()).isEqualTo("False");
            assertThat(probe.service(vm)).as("nothing installed or started").isEqualTo("inactive no-unit no-data no-binary no-config");
        } finally {
            testbed.unalias(vm.name(), alias);
        }
    }

    @Test
    void directoriesThatResolveIntoTheSystemOrThatOthersMayWriteAreNeverTouched() {
        Machine vm = fixture.fresh("vm4").get(0);
        // The data dir is a symlink into /var/lib; the install dir is world-writable and holds an "etcd" that
        // a local user planted, which must never run as root.
        CommandResult setUp = testbed.sshExec(vm, "root", "ln -s /var/lib /srv/etcd-data"
                + " && install -d -m 0777 /opt/etcd-bin"
                + " && printf '#!/bin/sh\\ntouch /root/planted-etcd-ran\\n' > /opt/etcd-bin/etcd"
                + " && chmod 0755 /opt/etcd-bin/etcd && chown nobody /opt/etcd-bin/etcd");
        assertThat(setUp.exitCode()).as(setUp.toString()).isZero();
        String before = testbed.sshExec(vm, "root", "stat -c '%a %U' /var/lib && ls -A /var/lib").stdout();
        EtcdVmCluster cluster = fixture.cluster("unsafe", "3.5.16", List.of(vm));
        cluster.getSpec().getEtcd().setDataDir("/srv/etcd-data");
        cluster.getSpec().getBinary().setInstallDir("/opt/etcd-bin");
        fixture.api().client().resource(cluster).create();

        EtcdVmCluster refused = await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("unsafe").get(),
                c -> condition(c, "Ready").map(r -> "UnsafePath".equals(r.getReason())).orElse(false));
        assertThat(condition(refused, "Ready").get().getMessage())
                .contains("etcd-vm4", "resolves to /var/lib", "/opt/etcd-bin is world-writable");
        long probed = lastProbeSecond("unsafe");
        await().atMost(Duration.ofSeconds(40)).until(() -> lastProbeSecond("unsafe") >= probed + 6);

        assertThat(testbed.sshExec(vm, "root", "stat -c '%a %U' /var/lib && ls -A /var/lib").stdout())
                .as("/var/lib").isEqualTo(before);
        assertThat(testbed.sshExec(vm, "root", "stat -c %a /opt/etcd-bin; ls /root/planted-etcd-ran 2>&1").stdout())
                .as("the install dir's mode, and whether the planted binary ran").startsWith("777\n")
                .contains("No such file");
        assertThat(probe.service(vm)).as("nothing installed or started").startsWith("inactive no-unit");
    }

    @Test
    void aKnownHostsKeyNamingThePrivateKeyLeavesNoKeyMaterialInTheOutput() {
        String privateKey = fixture.readTestbed("id_ed25519");
        List<String> keyLines = privateKey.lines().filter(l -> !l.startsWith("-----") && l.length() > 8).toList();
        assertThat(keyLines).isNotEmpty();
        ListAppender<ILoggingEvent> output = new ListAppender<>();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        output.start();
        root.addAppender(output);
        try {
            EtcdVmCluster cluster = fixture.cluster("misnamed", "3.5.16", List.of(testbed.machine("vm5")));
            cluster.getSpec().getSsh().setKnownHostsSecretRef(new SecretKeyRef(Specs.SSH_SECRET, Specs.PRIVATE_KEY));
            fixture.api().client().resource(cluster).create();
            EtcdVmCluster refused = await().atMost(Duration.ofSeconds(30)).until(() -> fixture.resource("misnamed").get(),
                    c -> condition(c, "HostsReachable").map(h -> "False".equals(h.getStatus())).orElse(false));
            long passes = output.list.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> output.list.size() > passes); // one more pass logged

            String everything = output.list.stream().map(DoNoHarmIT::rendered).collect(Collectors.joining("\n"))
                    + Serialization.asJson(fixture.resource("misnamed").get())
                    + probe.events("misnamed").stream().map(e -> e.getMessage()).collect(Collectors.joining("\n"));
            for (String line : keyLines) {
                assertThat(everything).as("operator output, status and Events").doesNotContain(line)
                        .doesNotContain(line.substring(0, 16));
            }
            assertThat(condition(refused, "HostsReachable").get().getMessage()).contains("etcd-vm5");
        } finally {
            root.detachAppender(output);
        }
    }

    private static String rendered(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append(' ').append(t.getMessage());
        }
        return text.toString();
    }

    /** When a pass last probed the cluster's first machine, in epoch seconds. */
    private long lastProbeSecond(String cluster) {
        return Instant.parse(fixture.resource(cluster).get().getStatus().getMembers().get(0).getLastProbeTime())
                .getEpochSecond();
    }

    /** The member id the victim's machine records, so only the cluster marker can stop the attack. */
    private String victimMemberId(Machine vm) {
        return testbed.sshExec(vm, "root", "cat /etc/etcd/member-id").stdout().trim();
    }

    private String listing(Machine vm, String dir) {
        return testbed.sshExec(vm, "root", "ls -A " + dir).stdout().trim();
    }
}
