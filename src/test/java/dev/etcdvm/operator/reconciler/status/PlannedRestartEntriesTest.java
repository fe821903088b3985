package dev.etcdvm.operator.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.support.RecordingObserver;
import dev.etcdvm.operator.support.Specs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A member that does not serve after the operator restarted it on purpose: coming back, stalled, or sick. */
class PlannedRestartEntriesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final MemberSpec MEMBER = new MemberSpec("etcd-2", "10.250.0.12");

    @ParameterizedTest(name = "restart asked {0} s ago, service last started {1} s ago -> {2}")
    @CsvSource({
        "10, 600, Restarting",
        "110, 600, Restarting",
        "130, 600, RestartStalled",
        "130, 100, Unhealthy",
        "0, 600, Unhealthy"})
    void aMemberNotServingAfterAPlannedRestart(long askedAgo, long startedAgo, String phase) {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(MEMBER));
        HostFacts f = RecordingObserver.runningMember("uid-c", "a2");
        HostFacts facts = new HostFacts(f.arch(), f.systemd(), f.installedVersion(), f.binaryModified(), f.dataDir(),
                f.marker(), f.memberId(), f.dataId(), "active", true, NOW.minusSeconds(startedAgo).getEpochSecond(), f.portHolders(),
                f.diskFreeKiB(), f.files(), askedAgo == 0 ? 0 : NOW.minusSeconds(askedAgo).getEpochSecond(), f.paths());
        EtcdMemberView sick = new EtcdMemberView("a2", "etcd-2", List.of("https://10.250.0.12:2380"),
                List.of("https://10.250.0.12:2379"), false, false, null, "connection refused", "3.5.16", 1L, 1L, 2L, 90L,
                false);
        ObservedCluster observed = new ObservedCluster(
                List.of(HostObservation.reachable("etcd-2", "10.250.0.12", "SHA256:x", facts)),
                new EtcdView(Optional.of("c1"), List.of(sick), List.of(), List.of(), true, Optional.empty()));

        assertThat(MemberEntries.of(cluster, MEMBER, observed, Map.of(), NOW.toString(), false).getPhase()).isEqualTo(phase);
    }
}
