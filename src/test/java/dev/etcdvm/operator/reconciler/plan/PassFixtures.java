package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.MachinesInShape;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.support.RecordingObserver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A healthy three-member cluster as a pass observes it: etcd-1 leads, every machine answers. */
final class PassFixtures {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final MemberSpec M1 = new MemberSpec("etcd-1", "10.250.0.11");
    static final MemberSpec M2 = new MemberSpec("etcd-2", "10.250.0.12");
    static final MemberSpec M3 = new MemberSpec("etcd-3", "10.250.0.13");

    private PassFixtures() {
    }

    static ObservedCluster healthyThree() {
        return observed(member("a1", M1, true, true), member("a2", M2, true, false), member("a3", M3, true, false));
    }

    static ObservedCluster observed(EtcdMemberView... members) {
        List<HostObservation> hosts = List.of(M1, M2, M3).stream()
                .map(m -> HostObservation.reachable(m.getName(), m.getAddress(), "SHA256:x", RecordingObserver.freshMachine()))
                .toList();
        return new ObservedCluster(hosts, new EtcdView(Optional.of("c1"), List.of(members), List.of(), List.of(), true,
                Optional.empty()));
    }

    static EtcdMemberView member(String id, MemberSpec m, boolean healthy, boolean leader) {
        return new EtcdMemberView(id, m.getName(), List.of("https://" + m.getAddress() + ":2380"),
                List.of("https://" + m.getAddress() + ":2379"), false, healthy, healthy ? 2L : null,
                healthy ? null : "connection refused", "3.5.16", 20_480L, 16_384L, 2L, 1000L, leader);
    }

    /**
     * The observation with each machine running its plan as probed, in shape but for the members named in
     * {@code olderBinary}, which run an older etcd and so are due for a restart.
     */
    static ObservedCluster runningPlans(ObservedCluster observed, Map<String, MemberPlan> plans, String uid,
            String... olderBinary) {
        List<String> older = List.of(olderBinary);
        return new ObservedCluster(observed.hosts().stream().filter(h -> plans.containsKey(h.member())).map(h -> {
            String id = observed.etcd().members().stream().filter(m -> m.name().equals(h.member())).map(EtcdMemberView::id)
                    .findFirst().orElse("none");
            MemberPlan plan = plans.get(h.member());
            return HostObservation.reachable(h.member(), h.address(), h.hostKeyFingerprint(), older.contains(h.member())
                    ? MachinesInShape.running(plan, uid, id, "3.5.15") : MachinesInShape.running(plan, uid, id));
        }).toList(), observed.etcd());
    }
}
