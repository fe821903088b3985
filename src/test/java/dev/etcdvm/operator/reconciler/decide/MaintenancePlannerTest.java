package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MaintenanceStatus;
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
import org.junit.jupiter.api.Test;

/** Rounds of defragmentation: when they start, the order (leader last), the pause, the guards, and NOSPACE. */
class MaintenancePlannerTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final long MIB = 1024 * 1024;
    private static final List<MemberSpec> MEMBERS = List.of(new MemberSpec("etcd-1", "10.250.0.11"),
            new MemberSpec("etcd-2", "10.250.0.12"), new MemberSpec("etcd-3", "10.250.0.13"));

    @Test
    void fragmentedMembersAreDefragmentedOnePerPassFollowersFirstLeaderLast() {
        EtcdVmCluster cluster = cluster();
        // etcd-1 leads; etcd-1 and etcd-3 are mostly free space, etcd-2 is not.
        ObservedCluster observed = observed(m("etcd-1", true, 400, 100), m("etcd-2", false, 400, 300),
                m("etcd-3", false, 400, 100));
        MaintenancePlanner.Plan first = MaintenancePlanner.next(cluster, observed, NOW);
        assertThat(first.action()).contains(new MaintenancePlanner.Defragment("etcd-3", "https://etcd-3:2379", 400 * MIB));
        assertThat(first.next().getRound()).isEqualTo(MaintenancePlanner.FRAGMENTED);
        assertThat(first.next().getRemaining()).containsExactly("etcd-1");

        cluster.getStatus().setMaintenance(first.next());
        MaintenancePlanner.Plan paused = MaintenancePlanner.next(cluster, observed, NOW.plusSeconds(5));
        assertThat(paused.action()).isEmpty();
        assertThat(paused.waiting()).hasValueSatisfying(w -> assertThat(w).contains("pauses"));

        MaintenancePlanner.Plan leader = MaintenancePlanner.next(cluster, observed, NOW.plusSeconds(10));
        assertThat(leader.action()).containsInstanceOf(MaintenancePlanner.Defragment.class);
        assertThat(((MaintenancePlanner.Defragment) leader.action().get()).member()).isEqualTo("etcd-1");

        cluster.getStatus().setMaintenance(leader.next());
        MaintenancePlanner.Plan done = MaintenancePlanner.next(cluster, observed, NOW.plusSeconds(20));
        assertThat(done.action()).isEmpty();
        assertThat(done.next().getRound()).isNull();
        assertThat(done.next().getLastRound()).isEqualTo(MaintenancePlanner.FRAGMENTED);
    }

    @Test
    void noRoundForADenseDatabaseOrOneBelowTheFloorOrWithDefragmentationOff() {
        EtcdVmCluster cluster = cluster();
        assertThat(MaintenancePlanner.next(cluster, observed(m("etcd-1", true, 400, 300), m("etcd-2", false, 50, 5),
                m("etcd-3", false, 400, 250)), NOW).action()).isEmpty();
        cluster.getSpec().getMaintenance().setDefragment(false);
        assertThat(MaintenancePlanner.next(cluster, observed(m("etcd-1", true, 400, 10), m("etcd-2", false, 400, 10),
                m("etcd-3", false, 400, 10)), NOW).action()).isEmpty();
    }

    @Test
    void nothingIsDoneWhileAMemberIsUnhealthyOrTheDiskIsTooSmall() {
        EtcdVmCluster cluster = cluster();
        EtcdMemberView sick = new EtcdMemberView("a3", "etcd-3", List.of(), List.of("https://etcd-3:2379"), false, false,
                null, "connection refused", "3.5.16", null, null, null, null, false);
        MaintenancePlanner.Plan plan = MaintenancePlanner.next(cluster, observed(m("etcd-1", true, 400, 100),
                m("etcd-2", false, 400, 100), sick), NOW);
        assertThat(plan.action()).isEmpty();
        assertThat(plan.waiting()).hasValueSatisfying(w -> assertThat(w).contains("etcd-3"));

        ObservedCluster cramped = new ObservedCluster(List.of(host("etcd-1", 1000 * MIB), host("etcd-2", 10 * MIB),
                host("etcd-3", 1000 * MIB)), view(m("etcd-1", true, 400, 300), m("etcd-2", false, 400, 100),
                m("etcd-3", false, 400, 300)));
        MaintenancePlanner.Plan noRoom = MaintenancePlanner.next(cluster(), cramped, NOW);
        assertThat(noRoom.action()).isEmpty();
        assertThat(noRoom.waiting()).hasValueSatisfying(w -> assertThat(w).contains("etcd-2 needs at least"));
    }

    @Test
    void noSpaceIsCompactedThenEveryMemberDefragmentedThenDisarmed() {
        EtcdVmCluster cluster = cluster();
        cluster.getSpec().getMaintenance().setPauseBetweenMembersSeconds(0);
        EtcdView full = new EtcdView(Optional.of("c"), List.of(m("etcd-1", true, 20, 19), m("etcd-2", false, 20, 19),
                m("etcd-3", false, 20, 19)), List.of(), List.of("NOSPACE on a1"), true, Optional.empty());
        ObservedCluster observed = new ObservedCluster(hosts(), full);
        MaintenancePlanner.Plan compact = MaintenancePlanner.next(cluster, observed, NOW);
        assertThat(compact.action()).contains(new MaintenancePlanner.Compact(4242));
        assertThat(compact.next().getRound()).isEqualTo(MaintenancePlanner.NO_SPACE);
        List<String> order = new java.util.ArrayList<>();
        MaintenanceStatus status = compact.next();
        for (int pass = 0; pass < 4; pass++) {
            cluster.getStatus().setMaintenance(status);
            MaintenancePlanner.Plan plan = MaintenancePlanner.next(cluster, observed, NOW.plusSeconds(pass + 1));
            plan.action().ifPresent(a -> order.add(a instanceof MaintenancePlanner.Defragment d ? d.member() : "disarm"));
            status = plan.next();
        }
        assertThat(order).containsExactly("etcd-2", "etcd-3", "etcd-1", "disarm");
        assertThat(status.getRound()).isNull();
        assertThat(status.getLastRound()).isEqualTo(MaintenancePlanner.NO_SPACE);

        // Back within minutes: the live data fills the quota; another round would only churn. Said, not done.
        cluster.getStatus().setMaintenance(status);
        MaintenancePlanner.Plan again = MaintenancePlanner.next(cluster, observed, NOW.plusSeconds(60));
        assertThat(again.action()).isEmpty();
        assertThat(again.waiting()).hasValueSatisfying(w -> assertThat(w).contains("quotaBackendBytes"));
        assertThat(MaintenancePlanner.next(cluster, observed, NOW.plusSeconds(11 * 60)).action())
                .containsInstanceOf(MaintenancePlanner.Compact.class);
    }

    @Test
    void aScheduleIsNotedFirstThenEachTimeStartsARoundOfLargeMembers() {
        EtcdVmCluster cluster = cluster();
        cluster.getSpec().getMaintenance().setDefragment(false);
        cluster.getSpec().getMaintenance().setDefragmentSchedule("0 3 * * *");
        ObservedCluster dense = observed(m("etcd-1", true, 400, 390), m("etcd-2", false, 400, 390),
                m("etcd-3", false, 50, 40));
        MaintenancePlanner.Plan noted = MaintenancePlanner.next(cluster, dense, NOW);
        assertThat(noted.action()).isEmpty();
        assertThat(noted.next().getLastScheduledFor()).isEqualTo("2026-12-01T03:00:00Z");

        cluster.getStatus().setMaintenance(noted.next());
        MaintenancePlanner.Plan round = MaintenancePlanner.next(cluster, dense, Instant.parse("2026-12-02T03:00:05Z"));
        assertThat(round.next().getRound()).isEqualTo(MaintenancePlanner.SCHEDULED);
        assertThat(((MaintenancePlanner.Defragment) round.action().orElseThrow()).member()).isEqualTo("etcd-2");
        assertThat(round.next().getRemaining()).as("below the floor: not in the round").containsExactly("etcd-1");
    }

    private static EtcdVmCluster cluster() {
        EtcdVmCluster cluster = Specs.cluster("c", "ns", MEMBERS);
        cluster.setStatus(new EtcdVmClusterStatus());
        return cluster;
    }

    private static EtcdMemberView m(String name, boolean leader, long totalMib, long inUseMib) {
        return new EtcdMemberView("id-" + name, name, List.of(), List.of("https://" + name + ":2379"), false, true, 2L,
                null, "3.5.16", totalMib * MIB, inUseMib * MIB, 2L, 100L, leader, 4242L);
    }

    private static ObservedCluster observed(EtcdMemberView... members) {
        return new ObservedCluster(hosts(), view(members));
    }

    private static EtcdView view(EtcdMemberView... members) {
        return new EtcdView(Optional.of("c"), List.of(members), List.of(), List.of(), true, Optional.empty());
    }

    private static List<HostObservation> hosts() {
        return MEMBERS.stream().map(m -> host(m.getName(), 10_000 * MIB)).toList();
    }

    private static HostObservation host(String name, long freeBytes) {
        HostFacts f = RecordingObserver.runningMember("uid", "id-" + name);
        return HostObservation.reachable(name, "10.0.0.1", "SHA256:x", new HostFacts(f.arch(), f.systemd(),
                f.installedVersion(), f.binaryModified(), f.dataDir(), f.marker(), f.memberId(), f.dataId(), f.serviceState(),
                f.serviceEnabled(), f.serviceStarted(), Map.of(), freeBytes / 1024, f.files(), 0, f.paths()));
    }
}
