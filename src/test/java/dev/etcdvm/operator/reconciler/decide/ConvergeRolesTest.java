package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.provision.MachinePaths;
import dev.etcdvm.operator.provision.ManagedFile;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The role ClusterPlanner gives each machine of a formed cluster, and the paused mode. */
class ConvergeRolesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String UID = "uid-c";

    private static final MemberSpec M1 = new MemberSpec("etcd-1", "10.250.0.11");
    private static final MemberSpec M2 = new MemberSpec("etcd-2", "10.250.0.12");
    private static final MemberSpec M3 = new MemberSpec("etcd-3", "10.250.0.13");
    private static final MemberSpec M4 = new MemberSpec("etcd-4", "10.250.0.14");

    @Test
    void everyListedMemberWithItsDataIsAMemberWithItsId() {
        EtcdVmCluster cluster = formed(M1, M2, M3);
        Decision d = decide(cluster, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(M3, holding("a3")));

        assertThat(d.mode()).isEqualTo(Decision.Mode.CONVERGE);
        assertThat(d.provision()).containsOnlyKeys("etcd-1", "etcd-2", "etcd-3");
        assertThat(d.provision().values()).extracting(MemberPlan::role).containsOnly(MemberRole.MEMBER);
        assertThat(d.provision().get("etcd-1").memberId()).contains("a1");
        assertThat(d.provision().get("etcd-2").memberId()).contains("a2");
        assertThat(d.provision().get("etcd-3").memberId()).contains("a3");
        assertThat(d.change()).isEqualTo(new MembershipChange.None());
        assertThat(d.message()).isEqualTo("membership matches the spec");
    }

    @Test
    void aMemberIsProvisionedAsAMemberEvenWhenTheStatusHasNoClusterIdYet() {
        // etcd answering with a cluster id is enough to know the cluster exists.
        EtcdVmCluster cluster = cluster(M1, M2, M3);
        Decision d = decide(cluster, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(M3, holding("a3")));
        assertThat(d.mode()).isEqualTo(Decision.Mode.CONVERGE);
        assertThat(d.provision().values()).extracting(MemberPlan::role).containsOnly(MemberRole.MEMBER);
    }

    @Test
    void aSpecMemberEtcdDoesNotListIsOnStandby() {
        EtcdVmCluster cluster = formed(M1, M2, M3, M4);
        Decision d = decide(cluster, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(M3, holding("a3")), host(M4, fresh()));

        assertThat(d.provision()).containsOnlyKeys("etcd-1", "etcd-2", "etcd-3", "etcd-4");
        MemberPlan standby = d.provision().get("etcd-4");
        assertThat(standby.role()).isEqualTo(MemberRole.STANDBY);
        assertThat(standby.memberId()).isEmpty();
        assertThat(standby.wantedFiles(false)).extracting(ManagedFile::path).doesNotContain(HostLayout.INITIAL_ENV_FILE);
        // The fresh machine is fit, so this pass adds it as a learner.
        assertThat(d.change()).isInstanceOf(MembershipChange.AddLearner.class);
        assertThat(((MembershipChange.AddLearner) d.change()).member()).isEqualTo(M4);
    }

    @Test
    void aStandbyMachineThatIsNotFitIsNotAdded() {
        EtcdVmCluster cluster = formed(M1, M2, M3, M4);
        HostFacts busy = new HostFacts("x86_64", true, Optional.empty(), 0, HostFacts.DataDir.ABSENT, Optional.empty(),
                Optional.empty(), Optional.empty(), "inactive", false, 0, Map.of(2379, "nginx", 2380, "free"), 10_000_000, Map.of(),
                0, MachinePaths.NONE);
        Decision d = decide(cluster, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(M3, holding("a3")), host(M4, busy));
        assertThat(d.change()).isInstanceOf(MembershipChange.Hold.class);
        assertThat(((MembershipChange.Hold) d.change()).reason()).isEqualTo("WaitingForHost");
    }

    @Test
    void aLearnerNeverStartedJoinsTheExistingCluster() {
        EtcdVmCluster cluster = formed(M1, M2, M3, M4);
        Decision d = decide(cluster,
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3), neverStarted("a4", M4)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(M3, holding("a3")), host(M4, fresh()));

        MemberPlan joiner = d.provision().get("etcd-4");
        assertThat(joiner.role()).isEqualTo(MemberRole.JOINER);
        assertThat(joiner.memberId()).contains("a4");
        String initial = new String(joiner.initialCluster().content(), StandardCharsets.UTF_8);
        assertThat(initial).contains(
                "ETCD_INITIAL_CLUSTER=etcd-1=https://10.250.0.11:2380,etcd-2=https://10.250.0.12:2380,"
                        + "etcd-3=https://10.250.0.13:2380,etcd-4=https://10.250.0.14:2380\n",
                "ETCD_INITIAL_CLUSTER_STATE=existing\n",
                "ETCD_INITIAL_CLUSTER_TOKEN=" + UID + "\n");
        assertThat(joiner.wantedFiles(false)).extracting(ManagedFile::path)
                .contains(HostLayout.INITIAL_ENV_FILE, HostLayout.MEMBER_ID_FILE);
        // The founders' files are never touched by the joining.
        assertThat(d.provision().get("etcd-1").role()).isEqualTo(MemberRole.MEMBER);
        assertThat(d.change()).isInstanceOf(MembershipChange.Hold.class);
        assertThat(((MembershipChange.Hold) d.change()).reason()).isEqualTo("LearnerJoining");
    }

    @Test
    void aJoinerOfAHostSwapListsTheOldMachineUnderItsId() {
        MemberSpec newEtcd3 = new MemberSpec("etcd-3", "10.250.0.23");
        EtcdVmCluster cluster = formed(M1, M2, newEtcd3);
        Decision d = decide(cluster,
                etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3), neverStarted("b3", newEtcd3)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(newEtcd3, fresh()));

        MemberPlan joiner = d.provision().get("etcd-3");
        assertThat(joiner.role()).isEqualTo(MemberRole.JOINER);
        assertThat(joiner.memberId()).contains("b3");
        assertThat(new String(joiner.initialCluster().content(), StandardCharsets.UTF_8)).contains(
                "ETCD_INITIAL_CLUSTER=etcd-1=https://10.250.0.11:2380,etcd-2=https://10.250.0.12:2380,"
                        + "member-a3=https://10.250.0.13:2380,etcd-3=https://10.250.0.23:2380\n");
    }

    @Test
    void aListedMemberWhoseMachineLostItsDataIsLeftAlone() {
        EtcdVmCluster cluster = formed(M1, M2, M3);
        Decision d = decide(cluster, etcd(leader("a1", M1), unhealthy("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")), host(M2, fresh()), host(M3, holding("a3")));

        assertThat(d.mode()).isEqualTo(Decision.Mode.CONVERGE);
        assertThat(d.provision()).containsOnlyKeys("etcd-1", "etcd-3");
    }

    @Test
    void anUnreachableMachineIsNotProvisioned() {
        EtcdVmCluster cluster = formed(M1, M2, M3);
        Decision d = decide(cluster, etcd(leader("a1", M1), unhealthy("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")),
                HostObservation.unreachable("etcd-2", M2.getAddress(), null, Failure.of(Operation.HOST_PROBE, FailureReason.HostUnreachable, null, "timeout")),
                host(M3, holding("a3")));
        assertThat(d.provision()).containsOnlyKeys("etcd-1", "etcd-3");
    }

    @Test
    void withoutEtcdOnlyMachinesHoldingMemberDataRunAsMembers() {
        EtcdVmCluster cluster = formed(M1, M2, M3, M4);
        ObservedCluster observed = new ObservedCluster(List.of(host(M1, holding("a1")), host(M2, fresh()),
                host(M3, holding("a3")), host(M4, fresh())), EtcdView.unavailable("all endpoints down"));
        Decision d = Planning.decide(cluster, observed, plans(cluster), NOW);

        assertThat(d.mode()).isEqualTo(Decision.Mode.CONVERGE);
        assertThat(d.provision()).containsOnlyKeys("etcd-1", "etcd-3");
        assertThat(d.provision().values()).extracting(MemberPlan::role).containsOnly(MemberRole.MEMBER);
        assertThat(d.provision().values()).extracting(MemberPlan::memberId).containsOnly(Optional.empty());
        assertThat(d.change()).isInstanceOf(MembershipChange.Hold.class);
        assertThat(((MembershipChange.Hold) d.change()).reason()).isEqualTo("EtcdUnavailable");
    }

    @Test
    void specPausedObservesOnly() {
        EtcdVmCluster cluster = formed(M1, M2, M3, M4);
        cluster.getSpec().setPaused(true);
        Decision d = decide(cluster, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(M3, holding("a3")), host(M4, fresh()));

        assertThat(d.mode()).isEqualTo(Decision.Mode.PAUSED);
        assertThat(d.provision()).isEmpty();
        assertThat(d.change()).isEqualTo(new MembershipChange.None());
        assertThat(d.reason()).isEqualTo("Paused");
        assertThat(d.message()).contains("spec.paused");
    }

    @Test
    void thePausedAnnotationObservesOnly() {
        EtcdVmCluster cluster = formed(M1, M2, M3, M4);
        cluster.getMetadata().setAnnotations(Map.of(EtcdVmCluster.PAUSED_ANNOTATION, "true"));
        assertThat(cluster.paused()).isTrue();
        Decision d = decide(cluster, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(M3, holding("a3")), host(M4, fresh()));

        assertThat(d.mode()).isEqualTo(Decision.Mode.PAUSED);
        assertThat(d.provision()).isEmpty();
        assertThat(d.change()).isEqualTo(new MembershipChange.None());
        assertThat(d.message()).contains("annotation etcdvm.dev/paused");
    }

    @Test
    void thePausedAnnotationMustSayTrue() {
        EtcdVmCluster cluster = formed(M1, M2, M3);
        cluster.getMetadata().setAnnotations(Map.of(EtcdVmCluster.PAUSED_ANNOTATION, "false"));
        assertThat(cluster.paused()).isFalse();
        Decision d = decide(cluster, etcd(leader("a1", M1), follower("a2", M2), follower("a3", M3)),
                host(M1, holding("a1")), host(M2, holding("a2")), host(M3, holding("a3")));
        assertThat(d.mode()).isEqualTo(Decision.Mode.CONVERGE);
    }

    @Test
    void aPausedClusterIsNotBootstrappedEither() {
        EtcdVmCluster cluster = cluster(M1, M2, M3);
        cluster.getSpec().setPaused(true);
        ObservedCluster observed = new ObservedCluster(List.of(host(M1, fresh()), host(M2, fresh()), host(M3, fresh())),
                EtcdView.unavailable("not started"));
        Decision d = Planning.decide(cluster, observed, plans(cluster), NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.PAUSED);
        assertThat(d.provision()).isEmpty();
    }

    @Test
    void aClusterIdMismatchFreezesEvenAPausedCluster() {
        EtcdVmCluster cluster = formed(M1, M2, M3);
        cluster.getSpec().setPaused(true);
        EtcdView other = new EtcdView(Optional.of("def"), List.of(leader("a1", M1)), List.of(), List.of(), true, Optional.empty());
        Decision d = Planning.decide(cluster, new ObservedCluster(List.of(host(M1, holding("a1"))), other),
                plans(cluster), NOW);
        assertThat(d.mode()).isEqualTo(Decision.Mode.FREEZE);
        assertThat(d.reason()).isEqualTo("ClusterIdMismatch");
    }

    // ---- helpers ----

    private static Decision decide(EtcdVmCluster cluster, EtcdView etcd, HostObservation... hosts) {
        return Planning.decide(cluster, new ObservedCluster(List.of(hosts), etcd), plans(cluster), NOW);
    }

    private static EtcdVmCluster cluster(MemberSpec... members) {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", Arrays.asList(members));
        cluster.getMetadata().setUid(UID);
        return cluster;
    }

    /** A cluster this resource has formed: its status remembers the cluster id etcd answers with. */
    private static EtcdVmCluster formed(MemberSpec... members) {
        EtcdVmCluster cluster = cluster(members);
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.setClusterId("abc");
        cluster.setStatus(status);
        return cluster;
    }

    private static Map<String, MemberPlan> plans(EtcdVmCluster cluster) {
        return Planning.founders(cluster, UID);
    }

    private static EtcdView etcd(EtcdMemberView... members) {
        return new EtcdView(Optional.of("abc"), List.of(members), List.of(), List.of(), true, Optional.empty());
    }

    private static HostObservation host(MemberSpec m, HostFacts facts) {
        return HostObservation.reachable(m.getName(), m.getAddress(), "SHA256:fp", facts);
    }

    private static HostFacts fresh() {
        return RecordingObserver.freshMachine();
    }

    /** A machine running this cluster's member {@code id}. */
    private static HostFacts holding(String id) {
        return RecordingObserver.runningMember(UID, id);
    }

    private static EtcdMemberView leader(String id, MemberSpec m) {
        return view(id, m, true, true);
    }

    private static EtcdMemberView follower(String id, MemberSpec m) {
        return view(id, m, true, false);
    }

    private static EtcdMemberView unhealthy(String id, MemberSpec m) {
        return view(id, m, false, false);
    }

    private static EtcdMemberView view(String id, MemberSpec m, boolean healthy, boolean leader) {
        return new EtcdMemberView(id, m.getName(), List.of(peerUrl(m)), List.of("https://" + m.getAddress() + ":2379"),
                false, healthy, healthy ? 2L : null, healthy ? null : "unhealthy", healthy ? "3.5.16" : null,
                healthy ? 20_480L : null, healthy ? 16_384L : null, healthy ? 2L : null, healthy ? 1000L : null, leader);
    }

    private static EtcdMemberView neverStarted(String id, MemberSpec m) {
        return new EtcdMemberView(id, "", List.of(peerUrl(m)), List.of(), true, false, null, "connection refused",
                null, null, null, null, null, false);
    }

    private static String peerUrl(MemberSpec m) {
        return "https://" + m.getAddress() + ":2380";
    }
}
