package dev.etcdvm.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.ssh.RemoteHost;
import dev.etcdvm.operator.support.Specs;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a machine in shape needs its running member restarted, decided from the probe alone. */
class RestartDecisionTest {
    private final EtcdVmCluster cluster = Specs.threeMembers("main", "ns");
    private final MemberPlan plan = MemberPlan.of(cluster.getSpec(), cluster.getSpec().getMembers().get(0),
            cluster.getSpec().getMembers(), "new", "uid-1", "ns/main", new MemberTls("CA", "SC", "SK", "PC", "PK"));
    private final HostProvisioner provisioner = new HostProvisioner(new ReleaseCache(Path.of("target/unused")),
            Duration.ofSeconds(1), Duration.ofSeconds(1), PhaseTimings.NONE);

    @Test
    void filesWrittenBeforeTheServiceStartedNeedNoRestart() throws Exception {
        assertThat(outcome("active", 200, 100).restartPending()).isFalse();
    }

    @Test
    void filesNewerThanTheRunningServiceMeanARestartIsStillDue() throws Exception {
        assertThat(outcome("active", 200, 300).restartPending()).isTrue();
    }

    /** systemd shows no start time while etcd is still activating; that is no reason to restart it. */
    @Test
    void aServiceStillActivatingIsLeftAlone() throws Exception {
        assertThat(outcome("activating", 0, 300).restartPending()).isFalse();
    }

    private HostOutcome outcome(String state, long started, long fileTime) throws Exception {
        Map<String, HostFacts.RemoteFileState> files = new HashMap<>();
        plan.wantedFiles(true).forEach(f -> files.put(f.path(), new HostFacts.RemoteFileState(MachineDrift.attributes(f), fileTime)));
        HostFacts facts = new HostFacts("x86_64", true, Optional.of("3.5.16"), 50, HostFacts.DataDir.MEMBER,
                Optional.of("uid-1"), Optional.empty(), Optional.empty(), state, true, started, Map.of(2379, "etcd", 2380, "etcd"), 1_000_000, files,
                0, MachinePaths.NONE);
        // Nothing is stale, so the provisioner sends no command: a null host proves it.
        return provisioner.provision((RemoteHost) null, plan, facts, List.of());
    }
}
