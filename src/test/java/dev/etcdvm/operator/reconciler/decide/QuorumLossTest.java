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
            1024, "00".repeat(32), 300, 1_000_000_000L, "", UID, () -> new ByteArrayInputStream(new byte[0])));
    /** The id of the loss first seen at NOW on cluster "abc". */
    private static final String LOSS = ShortId.ofLoss(UID, "abc", NOW);

    @Test
    void twoRebuiltMachinesAndNoLeaderIsAnOutageFromTheFirstPass() {
        EtcdVmCluster cluster = formed();
        QuorumLoss.Outage outage = QuorumLoss.find(cluster, rebuiltTwo(), NOW).orElseThrow();
        assertThat(outage.out()).containsExactly("etcd-2", "etcd-3");
        assertThat(outage.unreachable()).isEmpty();
        assertThat(outage.partitioned()).isFalse();
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
        choose(cluster, "snapshot");
        Decision noStore = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30),
                SnapshotOffer.none("spec.backup is not set: there is no store to recover from"));
        assertThat(noStore.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(noStore.quorumLoss().get().getMessage()).contains("snapshot", "no store");

        choose(cluster, "sideways");
        assertThat(decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT).quorumLoss().get().getMessage())
                .contains("unknown source 'sideways'");

        choose(cluster, "survivor");
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
        choose(cluster, "survivor");
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
        assertThat(recovery.getLossId()).isEqualTo(LOSS);
        assertThat(Planning.SEAL.holds(recovery)).as("sealed before status records it").isTrue();
        assertThat(chosen.provision()).containsOnlyKeys("etcd-1");

        cluster.getStatus().getQuorumLoss().setRecovery(recovery);
        assertThat(cluster.newRecoveryRequest()).as("a value is acted on once").isEmpty();
        Decision going = decide(cluster, rebuiltTwo(), NOW.plusSeconds(40), SNAPSHOT);
        assertThat(going.mode()).as("the former cluster still answers: go on").isEqualTo(Decision.Mode.RECOVER);
    }

    @Test
    void anEditedRecordIsNeverActedOnAndStaysForAPersonToSee() {
        EtcdVmCluster cluster = declared();
        choose(cluster, "survivor");
        RecoveryRecord recovery = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT).quorumLoss().get()
                .getRecovery();
        recovery.setSeed("etcd-3"); // an edited status: another seed, with less data
        cluster.getStatus().getQuorumLoss().setRecovery(recovery);
        Decision edited = decide(cluster, rebuiltTwo(), NOW.plusSeconds(40), SNAPSHOT);
        assertThat(edited.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(edited.reason()).isEqualTo("StatusNotTrusted");
        assertThat(edited.message()).contains("status.quorumLoss.recovery", "seal");
        assertThat(edited.provision()).as("nothing is touched").isEmpty();
        assertThat(edited.quorumLoss().get().getRecovery().getSeed()).as("kept for a person to see").isEqualTo("etcd-3");
    }

    @Test
    void aRecordNoOneChoseIsNeverActedOn() {
        EtcdVmCluster cluster = declared();
        RecoveryRecord invented = new RecoveryRecord();
        invented.setRequest("survivor@" + LOSS);
        invented.setSeed("etcd-1");
        invented.setSource("survivor");
        invented.setStartedAt(NOW.toString());
        cluster.getStatus().getQuorumLoss().setRecovery(invented);
        Decision unchosen = decide(cluster, rebuiltTwo(), NOW.plusSeconds(40), SNAPSHOT);
        assertThat(unchosen.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(unchosen.message()).contains("status.quorumLoss.recovery.request", "not set");

        choose(cluster, "survivor"); // the annotation agrees, but the operator never sealed this record
        Decision unsealed = decide(cluster, rebuiltTwo(), NOW.plusSeconds(40), SNAPSHOT);
        assertThat(unsealed.reason()).isEqualTo("StatusNotTrusted");
        assertThat(unsealed.message()).contains("seal");
        Decision otherKey = Planning.decide(cluster, rebuiltTwo(), Planning.founders(cluster, UID), NOW.plusSeconds(40),
                SNAPSHOT);
        assertThat(otherKey.mode()).isEqualTo(Decision.Mode.FREEZE);
    }

    @Test
    void aChoiceMustNameTheLossDeclaredNow() {
        EtcdVmCluster cluster = declared();
        annotate(cluster, "survivor"); // left from before the loss
        Decision stale = decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT);
        assertThat(stale.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(stale.quorumLoss().get().getMessage()).contains("names no loss", "status.quorumLoss.id");
        annotate(cluster, "survivor@0123456789");
        assertThat(decide(cluster, rebuiltTwo(), NOW.plusSeconds(30), SNAPSHOT).quorumLoss().get().getMessage())
                .contains("names loss 0123456789, not the one declared now (" + LOSS + ")");
        assertThat(stale.quorumLoss().get().getId()).isEqualTo(LOSS);
        assertThat(stale.message()).contains("recover-quorum=survivor@" + LOSS);
    }

    @Test
    void votersOutOfSightThatCouldBeAMajorityAreAPartitionNotALoss() {
        EtcdVmCluster cluster = declared();
        ObservedCluster split = new ObservedCluster(List.of(host(M1, holding("a1")), unreachable(M2), unreachable(M3)),
                etcd(survivor(false)));
        QuorumLoss.Outage outage = QuorumLoss.find(cluster, split, NOW).orElseThrow();
        assertThat(outage.out()).as("nothing proves them lost").isEmpty();
        assertThat(outage.unreachable()).containsExactly("etcd-2", "etcd-3");
        assertThat(outage.partitioned()).isTrue();

        annotate(cluster, "survivor"); // the issue's zone split: a value left from before
        Decision frozen = decide(cluster, split, NOW.plusSeconds(30), SNAPSHOT);
        assertThat(frozen.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(frozen.reason()).isEqualTo("Unreachable");
        assertThat(frozen.message()).contains("etcd-2, etcd-3", "network split",
                "survivor@" + LOSS + ";unreachable=etcd-2,etcd-3", "lost then");
        assertThat(frozen.quorumLoss().get().getUnreachableMembers()).containsExactly("etcd-2", "etcd-3");

        choose(cluster, "survivor"); // names the loss, not the unreachable voters
        Decision notGivenUp = decide(cluster, split, NOW.plusSeconds(30), SNAPSHOT);
        assertThat(notGivenUp.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(notGivenUp.quorumLoss().get().getMessage()).contains("etcd-2, etcd-3 cannot be reached");

        annotate(cluster, "survivor@" + LOSS + ";unreachable=etcd-2,etcd-3");
        Decision givenUp = decide(cluster, split, NOW.plusSeconds(30), SNAPSHOT);
        assertThat(givenUp.mode()).isEqualTo(Decision.Mode.RECOVER);
        assertThat(givenUp.quorumLoss().get().getRecovery().getGivenUp()).containsExactly("etcd-2", "etcd-3");
    }

    @Test
    void oneVoterLostAndOneUnreachableIsALossWhoseUnreachableVoterMustBeGivenUp() {
        EtcdVmCluster cluster = declared();
        ObservedCluster seen = new ObservedCluster(List.of(host(M1, holding("a1")), host(M2, fresh()), unreachable(M3)),
                etcd(survivor(false)));
        Decision declared = decide(cluster, seen, NOW.plusSeconds(30), SNAPSHOT);
        assertThat(declared.reason()).as("one out of sight cannot be a majority").isEqualTo("QuorumLost");
        choose(cluster, "snapshot");
        assertThat(decide(cluster, seen, NOW.plusSeconds(30), SNAPSHOT).quorumLoss().get().getMessage())
                .contains("etcd-3 cannot be reached", "snapshot@" + LOSS + ";unreachable=etcd-3");
    }

    @Test
    void theSnapshotChoiceKeepsTheSnapshotsRevisionAndSeedsTheSurvivorsMachine() {
        EtcdVmCluster cluster = declared();
        choose(cluster, "snapshot");
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
        choose(cluster, "survivor");
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

    /** The annotation that chooses {@code source} for the loss {@link #declared()} records. */
    private static void choose(EtcdVmCluster cluster, String source) {
        annotate(cluster, source + "@" + LOSS);
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
