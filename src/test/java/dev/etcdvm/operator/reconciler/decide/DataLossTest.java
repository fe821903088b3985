package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.RecordingObserver;
import dev.etcdvm.operator.support.Specs;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Lost data is told apart from a cluster that is only down, and freezes every change until accepted. */
class DataLossTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String UID = "uid-c";
    private static final MemberSpec M1 = new MemberSpec("etcd-1", "10.250.0.11");
    private static final MemberSpec M2 = new MemberSpec("etcd-2", "10.250.0.12");
    private static final MemberSpec M3 = new MemberSpec("etcd-3", "10.250.0.13");

    @Test
    void aLeaderBehindTheRecordedIndexLostData() {
        EtcdVmCluster cluster = formed(5_000L, M1);
        assertThat(DataLoss.find(cluster, observed(etcd(member("a1", M1, true, 12L)), host(M1, holding("a1")))))
                .hasValueSatisfying(m -> assertThat(m).contains("raft index 12", "5000"));
    }

    @Test
    void aLeaderAtOrAboveTheRecordedIndexIsFine() {
        EtcdVmCluster cluster = formed(5_000L, M1);
        assertThat(DataLoss.find(cluster, observed(etcd(member("a1", M1, true, 5_000L)), host(M1, holding("a1")))))
                .isEmpty();
    }

    @Test
    void aLaggingFollowerAloneIsNoEvidence() {
        EtcdVmCluster cluster = formed(5_000L, M1, M2, M3);
        assertThat(DataLoss.find(cluster, observed(etcd(member("a2", M2, false, 4_000L)), host(M2, holding("a2")))))
                .isEmpty();
    }

    @Test
    void theOnlyVoterAnsweringWithoutDataLostEverything() {
        EtcdVmCluster cluster = formed(5_000L, M1);
        assertThat(DataLoss.find(cluster, observed(EtcdView.unavailable("connection refused"), host(M1, fresh()))))
                .hasValueSatisfying(m -> assertThat(m).contains("1 of 1", "etcd-1"));
    }

    @Test
    void aMinorityWithoutDataIsAMemberToReplaceNotALoss() {
        EtcdVmCluster cluster = formed(5_000L, M1, M2, M3);
        assertThat(DataLoss.find(cluster, observed(EtcdView.unavailable("deadline exceeded"),
                host(M1, holding("a1")), host(M2, fresh()), host(M3, holding("a3"))))).isEmpty();
    }

    @Test
    void aMajorityWithoutDataWhileOneStillHoldsItIsAQuorumLossNotALoss() {
        EtcdVmCluster cluster = formed(5_000L, M1, M2, M3);
        assertThat(DataLoss.find(cluster, observed(EtcdView.unavailable("deadline exceeded"),
                host(M1, holding("a1")), host(M2, fresh()), host(M3, fresh())))).isEmpty();
    }

    @Test
    void aMemberRunningOnDataWithoutItsRecordedIdentityLostIt() {
        EtcdVmCluster cluster = formed(8L, M1);
        cluster.getStatus().getMembers().get(0).setDataId("d1");
        // Emptied, then started again: the same member id, and a raft index already past the idle cluster's mark.
        assertThat(DataLoss.find(cluster, observed(etcd(member("a1", M1, true, 9L)), host(M1, holding("a1")))))
                .hasValueSatisfying(m -> assertThat(m).contains("etcd-1", "identity", "emptied or replaced"));
        assertThat(DataLoss.find(cluster, observed(etcd(member("a1", M1, true, 9L)), host(M1, marked(holding("a1"), "d2")))))
                .as("another identity").isPresent();
    }

    @Test
    void aMemberOnItsMarkedDataOrAnotherMembersMachineIsFine() {
        EtcdVmCluster cluster = formed(8L, M1);
        cluster.getStatus().getMembers().get(0).setDataId("d1");
        assertThat(DataLoss.find(cluster, observed(etcd(member("a1", M1, true, 9L)), host(M1, marked(holding("a1"), "d1")))))
                .isEmpty();
        assertThat(DataLoss.find(cluster, observed(etcd(member("b1", M1, true, 9L)), host(M1, holding("b1")))))
                .as("a member re-added under a new id, on new data").isEmpty();
    }

    @Test
    void everyVoterWithoutDataLostTheCluster() {
        EtcdVmCluster cluster = formed(5_000L, M1, M2, M3);
        assertThat(DataLoss.find(cluster, observed(EtcdView.unavailable("deadline exceeded"),
                host(M1, fresh()), host(M2, fresh()), host(M3, fresh()))))
                .hasValueSatisfying(m -> assertThat(m).contains("3 of 3"));
    }

    @Test
    void machinesThatNeverHeldAMemberDoNotCount() {
        EtcdVmCluster cluster = formed(5_000L, M1, M2, M3);
        // Scaling 1 -> 3: only etcd-1 was ever a voter; the new machines are empty by design.
        cluster.getStatus().getMembers().subList(1, 3).forEach(m -> m.setId(null));
        assertThat(DataLoss.find(cluster, observed(EtcdView.unavailable("restarting"),
                host(M1, holding("a1")), host(M2, fresh()), host(M3, fresh())))).isEmpty();
    }

    @Test
    void aDownMachineIsNotALoss() {
        EtcdVmCluster cluster = formed(5_000L, M1);
        assertThat(DataLoss.find(cluster, observed(EtcdView.unavailable("no route"),
                HostObservation.unreachable("etcd-1", M1.getAddress(), null, Failure.of(Operation.SSH_CONNECT,
                        FailureReason.HostUnreachable, "etcd-1", "no route to host"))))).isEmpty();
    }

    @Test
    void aLossFreezesEverythingUntilANewAcceptanceValue() {
        EtcdVmCluster cluster = formed(5_000L, M1);
        ObservedCluster wiped = observed(EtcdView.unavailable("connection refused"), host(M1, fresh()));
        Decision frozen = Planning.decide(cluster, wiped, plans(cluster), NOW);
        assertThat(frozen.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(frozen.reason()).isEqualTo("DataLossDetected");
        assertThat(frozen.message()).contains("etcdvm.dev/accept-data-loss");

        cluster.getMetadata().setAnnotations(Map.of(EtcdVmCluster.ACCEPT_DATA_LOSS_ANNOTATION, "2026-11-25"));
        Decision accepted = Planning.decide(cluster, wiped, plans(cluster), NOW);
        assertThat(accepted.mode()).as("nothing answers: the cluster forms again").isEqualTo(Decision.Mode.BOOTSTRAP);
        assertThat(accepted.acceptedDataLoss()).contains("2026-11-25");

        cluster.getStatus().setAcceptedDataLoss("2026-11-25");
        assertThat(Planning.decide(cluster, wiped, plans(cluster), NOW).mode())
                .as("a value already acted on does not accept the next loss").isEqualTo(Decision.Mode.FREEZE);
    }

    // ---- helpers ----

    /** A formed cluster whose last status saw every member as a voter and the given raft index. */
    private static EtcdVmCluster formed(long highWater, MemberSpec... members) {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", Arrays.asList(members));
        cluster.getMetadata().setUid(UID);
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.setClusterId("abc");
        status.setHighestRaftIndex(highWater);
        for (int i = 0; i < members.length; i++) {
            MemberStatus s = new MemberStatus();
            s.setName(members[i].getName());
            s.setAddress(members[i].getAddress());
            s.setId("a" + (i + 1));
            s.setLearner(false);
            status.getMembers().add(s);
        }
        cluster.setStatus(status);
        return cluster;
    }

    private static Map<String, MemberPlan> plans(EtcdVmCluster cluster) {
        return Planning.founders(cluster, UID);
    }

    private static ObservedCluster observed(EtcdView etcd, HostObservation... hosts) {
        return new ObservedCluster(List.of(hosts), etcd);
    }

    private static EtcdView etcd(EtcdMemberView... members) {
        return new EtcdView(Optional.of("abc"), List.of(members), List.of(), List.of(), true, Optional.empty());
    }

    private static EtcdMemberView member(String id, MemberSpec m, boolean leader, Long raftIndex) {
        return new EtcdMemberView(id, m.getName(), List.of("https://" + m.getAddress() + ":2380"),
                List.of("https://" + m.getAddress() + ":2379"), false, true, 2L, null, "3.5.16", 20_480L, 16_384L, 2L,
                raftIndex, leader);
    }

    private static HostObservation host(MemberSpec m, HostFacts facts) {
        return HostObservation.reachable(m.getName(), m.getAddress(), "SHA256:fp", facts);
    }

    /** A machine of this cluster whose data dir is empty (a replaced disk). */
    private static HostFacts fresh() {
        HostFacts f = RecordingObserver.freshMachine();
        return new HostFacts(f.arch(), f.systemd(), Optional.of("3.5.16"), 1, HostFacts.DataDir.EMPTY,
                Optional.of(UID), Optional.of("a1"), Optional.empty(), "activating", true, 0, f.portHolders(), f.diskFreeKiB(), f.files(), f.plannedRestartAt(), f.paths());
    }

    private static HostFacts marked(HostFacts f, String dataId) {
        return new HostFacts(f.arch(), f.systemd(), f.installedVersion(), f.binaryModified(), f.dataDir(), f.marker(),
                f.memberId(), Optional.of(dataId), f.serviceState(), f.serviceEnabled(), f.serviceStarted(),
                f.portHolders(), f.diskFreeKiB(), f.files(), f.plannedRestartAt(), f.paths());
    }

    private static HostFacts holding(String id) {
        return RecordingObserver.runningMember(UID, id);
    }
}
