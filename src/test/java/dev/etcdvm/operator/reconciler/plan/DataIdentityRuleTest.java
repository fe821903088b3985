package dev.etcdvm.operator.reconciler.plan;

import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M1;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M2;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M3;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.NOW;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.member;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.observed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.decide.ShortId;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.PlanRuns;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each healthy voter's data is marked once, in a pass with nothing else to do; a recorded identity is never rewritten. */
class DataIdentityRuleTest {
    private static final String UID = "uid";

    private final PlanRuns runs = new PlanRuns();

    @Test
    void everyHealthyVoterOnUnmarkedDataIsMarked() {
        EtcdVmCluster cluster = cluster();
        runs.run(pass(cluster, inShape(cluster, observed(member("a1", M1, true, true), member("a2", M2, true, false),
                member("a3", M3, true, false)))));
        assertThat(runs.machines.calls()).containsExactlyInAnyOrder("mark etcd-1 " + ShortId.ofData(UID, "a1", NOW),
                "mark etcd-2 " + ShortId.ofData(UID, "a2", NOW), "mark etcd-3 " + ShortId.ofData(UID, "a3", NOW));
    }

    @Test
    void aMemberWhoseIdentityIsRecordedIsNeverMarkedAgain() {
        EtcdVmCluster cluster = cluster();
        cluster.getStatus().setMembers(List.of(recorded("etcd-1", "a1", "d1")));
        runs.run(pass(cluster, inShape(cluster, observed(member("a1", M1, true, true), member("a2", M2, true, false),
                member("a3", M3, true, false)))));
        assertThat(runs.machines.calls()).as("etcd-1's machine lacks the recorded identity: a loss, not a write")
                .noneMatch(c -> c.startsWith("mark etcd-1"))
                .anyMatch(c -> c.startsWith("mark etcd-2"));
    }

    @Test
    void aRecordedIdentityOfAnEarlierMemberIdDoesNotHoldTheNewMemberBack() {
        EtcdVmCluster cluster = cluster();
        cluster.getStatus().setMembers(List.of(recorded("etcd-1", "old", "d1")));
        runs.run(pass(cluster, inShape(cluster, observed(member("a1", M1, true, true), member("a2", M2, true, false),
                member("a3", M3, true, false)))));
        assertThat(runs.machines.calls()).anyMatch(c -> c.startsWith("mark etcd-1 "));
    }

    @Test
    void learnersAndSickMembersWait() {
        EtcdVmCluster cluster = cluster();
        EtcdMemberView m3 = member("a3", M3, true, false);
        EtcdMemberView learner = new EtcdMemberView(m3.id(), m3.name(), m3.peerUrls(), m3.clientUrls(), true, true,
                m3.healthLatencyMillis(), null, m3.version(), m3.dbSizeBytes(), m3.dbSizeInUseBytes(), m3.raftTerm(),
                m3.raftIndex(), false);
        runs.run(pass(cluster, inShape(cluster, observed(member("a1", M1, true, true), member("a2", M2, false, false),
                learner))));
        assertThat(runs.machines.calls()).containsExactly("mark etcd-1 " + ShortId.ofData(UID, "a1", NOW));
    }

    @Test
    void nothingIsMarkedInAPassThatDoesSomethingElse() {
        EtcdVmCluster cluster = cluster();
        ObservedCluster healthy = observed(member("a1", M1, true, true), member("a2", M2, true, false),
                member("a3", M3, true, false));
        runs.run(pass(cluster, unmarked(PassFixtures.runningPlans(healthy, plans(cluster), UID, "etcd-2"))));
        assertThat(runs.machines.calls()).containsExactly("restart etcd-2");
    }

    private static EtcdVmCluster cluster() {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(M1, M2, M3));
        cluster.getMetadata().setUid(UID);
        cluster.setStatus(new EtcdVmClusterStatus());
        cluster.getStatus().setClusterId("c1");
        return cluster;
    }

    private static MemberStatus recorded(String name, String id, String dataId) {
        MemberStatus m = new MemberStatus();
        m.setName(name);
        m.setId(id);
        m.setDataId(dataId);
        return m;
    }

    private static Map<String, MemberPlan> plans(EtcdVmCluster cluster) {
        return Planning.founders(cluster, UID);
    }

    /** Every machine runs its plan, its data not marked yet. */
    private static ObservedCluster inShape(EtcdVmCluster cluster, ObservedCluster observed) {
        return unmarked(PassFixtures.runningPlans(observed, plans(cluster), UID));
    }

    private static ObservedCluster unmarked(ObservedCluster running) {
        return new ObservedCluster(running.hosts().stream().map(h -> HostObservation.reachable(h.member(), h.address(),
                h.hostKeyFingerprint(), unmarked(h.facts().orElseThrow()))).toList(), running.etcd());
    }

    private static HostFacts unmarked(HostFacts f) {
        return new HostFacts(f.arch(), f.systemd(), f.installedVersion(), f.binaryModified(), f.dataDir(), f.marker(),
                f.memberId(), Optional.empty(), f.serviceState(), f.serviceEnabled(), f.serviceStarted(),
                f.portHolders(), f.diskFreeKiB(), f.files(), f.plannedRestartAt(), f.paths());
    }

    private static Pass pass(EtcdVmCluster cluster, ObservedCluster observed) {
        Decision converging = Passes.converging(new MembershipChange.None());
        return Passes.of(cluster, observed, new Decision(converging.mode(), plans(cluster), new MembershipChange.None(),
                converging.reason(), converging.message(), Optional.empty(), Optional.empty()), NOW);
    }
}
