package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.SnapshotRestore;
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
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A majority of voters out with no leader: seen, declared after the threshold with what each way out keeps, frozen
 * until a choice that can be carried out, which is recorded before anything acts, and done once the seed leads.
 */
class QuorumLossTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String UID = "uid-q";
    private static final MemberSpec M1 = new MemberSpec("etcd-1", "10.250.0.11");
    private static final MemberSpec M2 = new MemberSpec("etcd-2", "10.250.0.12");
    private static final MemberSpec M3 = new MemberSpec("etcd-3", "10.250.0.13");
    private static final SnapshotOffer SNAPSHOT = SnapshotOffer.of(new SnapshotRestore("it/ns/c/uid-q/20261201T115000Z.db",
            "00".repeat(32), 300, 1_000_000_000L, "", UID, () -> new ByteArrayInputStream(new byte[0])));

    @Test
    void twoRebuiltMachinesAndNoLeaderIsAnOutageFromTheFirstPass() {
        EtcdVmCluster cluster = formed();
        QuorumLoss.Outage outage = QuorumLoss.find(cluster, rebuiltTwo(), NOW).orElseThrow();
        assertThat(outage.out()).containsExactly("etcd-2", "etcd-3");
        assertThat(outage.since()).isEqualTo(NOW);
        assertThat(outage.survivor()).hasValueSatisfying(s -> {
            assertThat(s.name()).isEqualTo("etcd-1");
            assertThat(s.revision()).isEqualTo(500);
        });
    }

    @Test
    void aMinorityOutOrALeaderIsNoOutage() {
        EtcdVmCluster cluster = formed();
        ObservedCluster oneDown = new ObservedCluster(List.of(host(M1, holding("a1")), host(M2, holding("a2")),
                unreachable(M3)), etcd(survivor(false)));
        assertThat(QuorumLoss.find(cluster, oneDown, NOW)).isEmpty();
        ObservedCluster led = new ObservedCluster(rebuiltTwo().hosts(), etcd(survivor(true)));
        assertThat(QuorumLoss.find(cluster, led, NOW)).as("a member that leads serves").isEmpty();
    }

    @Test
    void declaredOnlyAfterTheThresholdAndUntilThenNothingIsFrozen() {
        EtcdVmCluster cluster = formed();
        Decision early = decide(cluster, rebuiltTwo(), NOW, SNAPSHOT);
        assertThat(early.mode()).isEqualTo(Decision.Mode.CONVERGE);
        assertThat(early.quorumLoss()).hasValueSatisfying(q -> assertThat(q.getSince()).isEqualTo(NOW.toString()));

        cluster.getStatus().setQuorumLoss(early.quorumLoss().get());
        Decision declared = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT);
        assertThat(declared.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(declared.reason()).isEqualTo("QuorumLost");
        assertThat(declared.message()).contains("etcd-2, etcd-3", "'survivor' keeps etcd-1's data up to revision 500",
                "'snapshot' keeps snapshot it/ns/c/uid-q/20261201T115000Z.db up to revision 300",
                EtcdVmCluster.RECOVER_QUORUM_ANNOTATION);
        assertThat(declared.provision()).as("nothing is touched").isEmpty();
        assertThat(declared.quorumLoss().get().getSurvivorRevision()).isEqualTo(500);
        assertThat(declared.quorumLoss().get().getSnapshotRevision()).isEqualTo(300);
    }

    @Test
    void aChoiceThatCannotBeCarriedOutIsRefusedAndNothingIsDone() {
        EtcdVmCluster cluster = declared();
        annotate(cluster, "snapshot");
        Decision noStore = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30),
                SnapshotOffer.none("spec.backup is not set: there is no store to recover from"));
        assertThat(noStore.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(noStore.quorumLoss().get().getMessage()).contains("snapshot", "no store");

        annotate(cluster, "sideways");
        assertThat(decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT).quorumLoss().get().getMessage())
                .contains("unknown");

        annotate(cluster, "survivor");
        ObservedCluster silentSurvivor = new ObservedCluster(rebuiltTwo().hosts(),
                etcd(new EtcdMemberView("a1", "etcd-1", List.of("https://10.250.0.11:2380"), List.of("https://10.250.0.11:2379"), false, false,
                        null, "no answer", null, null, null, null, null, false, null)));
        Decision refused = decide(cluster, silentSurvivor, NOW.plusSeconds(30), SNAPSHOT);
        assertThat(refused.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(refused.quorumLoss().get().getMessage()).contains("no surviving voter");
    }

    @Test
    void theSurvivorChoiceIsRecordedWithANewTokenBeforeAnythingActs() {
        EtcdVmCluster cluster = declared();
        cluster.getStatus().setHighestRevision(520L);
        annotate(cluster, "survivor:ticket-7");
        Decision chosen = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT);
        assertThat(chosen.mode()).isEqualTo(Decision.Mode.RECOVER);
        RecoveryRecord recovery = chosen.quorumLoss().orElseThrow().getRecovery();
        assertThat(recovery.getSource()).isEqualTo("survivor");
        assertThat(recovery.getSeed()).isEqualTo("etcd-1");
        assertThat(recovery.getSeedMemberId()).isEqualTo("a1");
        assertThat(recovery.getKeptRevision()).isEqualTo(500);
        assertThat(recovery.getHighestRevisionBefore()).isEqualTo(520);
        assertThat(recovery.getToken()).startsWith(UID + "-recovered-").isNotEqualTo(UID);
        assertThat(recovery.getFormerClusterId()).isEqualTo("abc");
        assertThat(recovery.getArchive()).startsWith("/var/lib/etcd.recovery-2026");
        assertThat(chosen.provision()).containsOnlyKeys("etcd-1");

        cluster.getStatus().getQuorumLoss().setRecovery(recovery);
        assertThat(cluster.newRecoveryRequest()).as("a value is acted on once").isEmpty();
        Decision going = decide(cluster, rebuiltTwo(), NOW.plusSeconds(40), SNAPSHOT);
        assertThat(going.mode()).as("the former cluster still answers: go on").isEqualTo(Decision.Mode.RECOVER);
    }

    @Test
    void aRecordedSeedTheSpecDoesNotListIsNeverActedOn() {
        EtcdVmCluster cluster = declared();
        annotate(cluster, "survivor");
        RecoveryRecord recovery = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT).quorumLoss().get()
                .getRecovery();
        recovery.setSeed("etcd-9"); // an edited status
        cluster.getStatus().getQuorumLoss().setRecovery(recovery);
        Decision edited = decide(cluster, rebuiltTwo(), NOW.plusSeconds(40), SNAPSHOT);
        assertThat(edited.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(edited.message()).contains("etcd-9", "not a member of the spec");
        assertThat(edited.quorumLoss().get().getRecovery().getSeed()).as("kept for a person to see").isEqualTo("etcd-9");
    }

    @Test
    void theSnapshotChoiceKeepsTheSnapshotsRevisionAndSeedsTheSurvivorsMachine() {
        EtcdVmCluster cluster = declared();
        annotate(cluster, "snapshot");
        RecoveryRecord recovery = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT).quorumLoss().get()
                .getRecovery();
        assertThat(recovery.getSnapshotKey()).isEqualTo("it/ns/c/uid-q/20261201T115000Z.db");
        assertThat(recovery.getKeptRevision()).isEqualTo(300);
        assertThat(recovery.getSeed()).isEqualTo("etcd-1");
        assertThat(QuorumRecovery.possibleLoss(withHighest(recovery, 500L))).contains("revisions 301 to 500");
    }

    @Test
    void theRecoveryTakesHoldWhenTheSeedLeadsANewClusterAndTheOthersJoinAgain() {
        EtcdVmCluster cluster = declared();
        annotate(cluster, "survivor");
        RecoveryRecord recovery = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT).quorumLoss().get()
                .getRecovery();
        cluster.getStatus().getQuorumLoss().setRecovery(recovery);
        EtcdMemberView seedLeads = new EtcdMemberView("b1", "etcd-1", List.of("https://10.250.0.11:2380"),
                List.of("https://10.250.0.11:2379"), false, true, 2L, null, "3.5.16", 20_480L, 16_384L, 2L, 5L, true,
                1_000_000_500L);
        ObservedCluster reformed = new ObservedCluster(List.of(host(M1, holding("a1")), host(M2, fresh()), host(M3, fresh())),
                new EtcdView(Optional.of("new1"), List.of(seedLeads), List.of(), List.of(), true, Optional.empty()));
        Decision done = decide(cluster, reformed, NOW.plusSeconds(60), SnapshotOffer.NOT_LOOKED_UP);
        assertThat(done.mode()).isEqualTo(Decision.Mode.CONVERGE);
        assertThat(done.recovered()).hasValueSatisfying(r -> {
            assertThat(r.getNewClusterId()).isEqualTo("new1");
            assertThat(r.getFormerClusterId()).isEqualTo("abc");
        });
        assertThat(done.quorumLoss()).isEmpty();
        assertThat(done.change()).as("the others are added back").isInstanceOf(MembershipChange.AddLearner.class);
    }

    // ---- helpers ----

    private static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, Instant now, SnapshotOffer offer) {
        Map<String, MemberPlan> plans = Planning.founders(cluster, UID);
        return Planning.decide(cluster, observed, plans, now, offer);
    }

    /** A cluster whose outage was first seen at NOW. */
    private static EtcdVmCluster declared() {
        EtcdVmCluster cluster = formed();
        QuorumLossStatus seen = new QuorumLossStatus();
        seen.setSince(NOW.toString());
        cluster.getStatus().setQuorumLoss(seen);
        return cluster;
    }

    private static void annotate(EtcdVmCluster cluster, String value) {
        cluster.getMetadata().setAnnotations(new HashMap<>(Map.of(EtcdVmCluster.RECOVER_QUORUM_ANNOTATION, value)));
    }

    private static RecoveryRecord withHighest(RecoveryRecord recovery, long highest) {
        recovery.setHighestRevisionBefore(highest);
        return recovery;
    }

    private static EtcdVmCluster formed() {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(M1, M2, M3));
        cluster.getMetadata().setUid(UID);
        cluster.getSpec().setQuorumLossAfterSeconds(30);
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.setClusterId("abc");
        status.setHighestRaftIndex(900L);
        List<MemberSpec> members = List.of(M1, M2, M3);
        for (int i = 0; i < members.size(); i++) {
            MemberStatus s = new MemberStatus();
            s.setName(members.get(i).getName());
            s.setAddress(members.get(i).getAddress());
            s.setId("a" + (i + 1));
            s.setLearner(false);
            status.getMembers().add(s);
        }
        cluster.setStatus(status);
        return cluster;
    }

    /** etcd-1 still runs with its data, alone and leaderless; etcd-2 and etcd-3 booted on empty disks. */
    private static ObservedCluster rebuiltTwo() {
        return new ObservedCluster(List.of(host(M1, holding("a1")), host(M2, RecordingObserver.freshMachine()),
                host(M3, RecordingObserver.freshMachine())), etcd(survivor(false), silent("a2", M2), silent("a3", M3)));
    }

    private static EtcdMemberView survivor(boolean leader) {
        return new EtcdMemberView("a1", "etcd-1", List.of("https://10.250.0.11:2380"), List.of("https://10.250.0.11:2379"),
                false, leader, leader ? 2L : null, leader ? null : "knows no leader", "3.5.16", 20_480L, 16_384L, 4L,
                900L, leader, 500L);
    }

    private static EtcdMemberView silent(String id, MemberSpec m) {
        return new EtcdMemberView(id, m.getName(), List.of("https://" + m.getAddress() + ":2380"),
                List.of("https://" + m.getAddress() + ":2379"), false, false, null, "connection refused", null, null,
                null, null, null, false, null);
    }

    private static EtcdView etcd(EtcdMemberView... members) {
        return new EtcdView(Optional.of("abc"), List.of(members), List.of(), List.of(), false, Optional.empty());
    }

    private static HostObservation host(MemberSpec m, HostFacts facts) {
        return HostObservation.reachable(m.getName(), m.getAddress(), "SHA256:fp", facts);
    }

    private static HostObservation unreachable(MemberSpec m) {
        return HostObservation.unreachable(m.getName(), m.getAddress(), null, Failure.of(Operation.SSH_CONNECT,
                FailureReason.HostUnreachable, m.getName(), "no route to host"));
    }

    private static HostFacts holding(String id) {
        return RecordingObserver.runningMember(UID, id);
    }

    private static HostFacts fresh() {
        return RecordingObserver.freshMachine();
    }
}
