package dev.etcdvm.operator.reconciler.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.support.RecordingObserver;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The identity recorded for a member's data outlives what the machine shows, until a loss is accepted. */
class DataIdentityEntriesTest {
    private static final MemberSpec MEMBER = new MemberSpec("etcd-1", "10.250.0.11");
    private static final String NOW = "2026-11-25T12:00:00Z";

    @Test
    void aRecordedIdentityStaysWhenTheMachineNoLongerShowsIt() {
        assertThat(entry(recorded("a1", "d1"), onMachine("a1", null), false).getDataId()).isEqualTo("d1");
        assertThat(entry(recorded("a1", "d1"), onMachine("a1", "d2"), false).getDataId()).isEqualTo("d1");
    }

    @Test
    void anAcceptedLossStartsOverFromWhatTheMachineShows() {
        assertThat(entry(recorded("a1", "d1"), onMachine("a1", null), true).getDataId()).isNull();
    }

    @Test
    void aFirstOrNewMemberTakesTheIdentityItsMachineShows() {
        assertThat(entry(Optional.empty(), onMachine("a1", "d1"), false).getDataId()).isEqualTo("d1");
        assertThat(entry(recorded("old", "d0"), onMachine("a1", "d1"), false).getDataId())
                .as("re-added under a new member id").isEqualTo("d1");
    }

    private static MemberStatus entry(Optional<MemberStatus> previous, HostFacts facts, boolean lossAccepted) {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(MEMBER));
        cluster.setStatus(new EtcdVmClusterStatus());
        previous.ifPresent(p -> cluster.getStatus().getMembers().add(p));
        EtcdMemberView etcd = new EtcdMemberView("a1", "etcd-1", List.of("https://10.250.0.11:2380"),
                List.of("https://10.250.0.11:2379"), false, true, 2L, null, "3.5.16", 1L, 1L, 2L, 90L, true);
        ObservedCluster observed = new ObservedCluster(List.of(HostObservation.reachable("etcd-1", "10.250.0.11",
                "SHA256:x", facts)), new EtcdView(Optional.of("c1"), List.of(etcd), List.of(), List.of(), true,
                Optional.empty()));
        return MemberEntries.of(cluster, MEMBER, observed, Map.of(), NOW, lossAccepted);
    }

    private static Optional<MemberStatus> recorded(String id, String dataId) {
        MemberStatus m = new MemberStatus();
        m.setName(MEMBER.getName());
        m.setAddress(MEMBER.getAddress());
        m.setId(id);
        m.setDataId(dataId);
        return Optional.of(m);
    }

    private static HostFacts onMachine(String memberId, String dataId) {
        HostFacts f = RecordingObserver.runningMember("uid", memberId);
        return new HostFacts(f.arch(), f.systemd(), f.installedVersion(), f.binaryModified(), f.dataDir(), f.marker(),
                f.memberId(), Optional.ofNullable(dataId), f.serviceState(), f.serviceEnabled(), f.serviceStarted(),
                f.portHolders(), f.diskFreeKiB(), f.files(), f.plannedRestartAt(), f.paths());
    }
}
