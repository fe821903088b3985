package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MachinePaths;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * One generated situation of a formed cluster, as the planners see it: the spec's members, what etcd lists (each
 * spec member absent, a learner not yet started, a learner caught up or behind, a voter healthy or not; members the
 * spec dropped), which machines answer and hold data, alarms, another cluster's id answering, a pause.
 */
public record PlannerFacts(List<MemberFacts> members, List<EtcdState> dropped, int leader, boolean etcdAnswers,
        boolean alarm, boolean foreignId, boolean paused) {

    /**
     * What etcd lists for one member. {@code VOTER_SLOW} fails its health check but still reports its raft index (it
     * answers etcd's status call), so it looks caught up; {@code VOTER_SICK} answers nothing.
     */
    public enum EtcdState { ABSENT, LEARNER_NOT_STARTED, LEARNER_BEHIND, LEARNER_CAUGHT_UP, LEARNER_SICK, VOTER, VOTER_SICK,
        VOTER_SLOW }

    /** One spec member: etcd's view of it and its machine. */
    public record MemberFacts(EtcdState etcd, boolean reachable, boolean holdsData) {
    }

    public static final String CLUSTER_ID = "c1";
    public static final String UID = "uid-c";
    private static final long LEADER_INDEX = 1_000;

    public EtcdVmCluster cluster() {
        List<MemberSpec> specs = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            specs.add(new MemberSpec("etcd-" + (i + 1), address(i)));
        }
        EtcdVmCluster cluster = Specs.cluster("c", "ns", specs);
        cluster.getMetadata().setUid(UID);
        cluster.getSpec().setPaused(paused);
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.setClusterId(CLUSTER_ID);
        cluster.setStatus(status);
        return cluster;
    }

    public ObservedCluster observed() {
        List<HostObservation> hosts = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            MemberFacts m = members.get(i);
            String name = "etcd-" + (i + 1);
            hosts.add(m.reachable() ? HostObservation.reachable(name, address(i), "SHA256:m" + i, facts(m, id(i)))
                    : HostObservation.unreachable(name, address(i), "SHA256:m" + i, Failure.of(Operation.SSH_CONNECT,
                            FailureReason.HostUnreachable, null, "connection timed out")));
        }
        if (!etcdAnswers) {
            return new ObservedCluster(hosts, EtcdView.unavailable("etcd does not answer"));
        }
        List<EtcdState> states = new ArrayList<>(members.stream().map(MemberFacts::etcd).toList());
        states.addAll(dropped);
        int leads = leaderPosition(states);
        List<EtcdMemberView> views = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            view(members.get(i).etcd(), id(i), "etcd-" + (i + 1), address(i), i == leads).ifPresent(views::add);
        }
        for (int j = 0; j < dropped.size(); j++) {
            view(dropped.get(j), "d" + j, "gone-" + j, "10.0.1." + (j + 1), members.size() + j == leads)
                    .ifPresent(views::add);
        }
        return new ObservedCluster(hosts, new EtcdView(Optional.of(CLUSTER_ID), views,
                foreignId ? List.of("c2") : List.of(), alarm ? List.of("NOSPACE on etcd-1") : List.of(), true,
                Optional.empty()));
    }

    /** Which member leads: {@code leader} picks one of the healthy voters (spec members first), 6 means none. */
    private int leaderPosition(List<EtcdState> states) {
        List<Integer> healthyVoters = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i) == EtcdState.VOTER) {
                healthyVoters.add(i);
            }
        }
        return leader >= 6 || healthyVoters.isEmpty() ? -1 : healthyVoters.get(leader % healthyVoters.size());
    }

    private Optional<EtcdMemberView> view(EtcdState state, String id, String name, String address, boolean leads) {
        if (state == EtcdState.ABSENT) {
            return Optional.empty();
        }
        boolean learner = state.name().startsWith("LEARNER");
        boolean started = state != EtcdState.LEARNER_NOT_STARTED;
        boolean healthy = state == EtcdState.VOTER || state == EtcdState.LEARNER_BEHIND
                || state == EtcdState.LEARNER_CAUGHT_UP;
        long index = state == EtcdState.LEARNER_BEHIND ? LEADER_INDEX - 500 : LEADER_INDEX;
        boolean answersStatus = healthy || state == EtcdState.VOTER_SLOW;
        return Optional.of(new EtcdMemberView(id, started ? name : "", List.of("https://" + address + ":2380"),
                started ? List.of("https://" + address + ":2379") : List.of(), learner, healthy, healthy ? 2L : null,
                healthy ? null : "unhealthy", "3.5.16", 20_480L, 16_384L, 2L, answersStatus ? index : null,
                leads));
    }

    private static HostFacts facts(MemberFacts m, String id) {
        boolean data = m.holdsData();
        return new HostFacts("x86_64", true, Optional.of("3.5.16"), 1, data ? HostFacts.DataDir.MEMBER
                : HostFacts.DataDir.EMPTY, Optional.of(UID), data ? Optional.of(id) : Optional.empty(),
                data ? Optional.of("data-" + id) : Optional.empty(),
                data ? "active" : "inactive", data, data ? 1 : 0, Map.of(2379, data ? "etcd" : "free", 2380,
                data ? "etcd" : "free"), 10_000_000, Map.of(), 0, MachinePaths.NONE);
    }

    public static String id(int i) {
        return "m" + (i + 1);
    }

    private static String address(int i) {
        return "10.0.0." + (i + 1);
    }

    /**
     * Situations weighted towards formed clusters with one thing different (a voter sick, a member missing, a
     * learner joining, a member the spec dropped), so every kind of change is reached; the properties print the
     * distribution.
     */
    public static Arbitrary<PlannerFacts> situations() {
        Arbitrary<EtcdState> state = Arbitraries.frequency(
                Tuple.of(12, EtcdState.VOTER), Tuple.of(2, EtcdState.VOTER_SICK), Tuple.of(1, EtcdState.VOTER_SLOW),
                Tuple.of(2, EtcdState.ABSENT), Tuple.of(1, EtcdState.LEARNER_NOT_STARTED),
                Tuple.of(1, EtcdState.LEARNER_BEHIND), Tuple.of(2, EtcdState.LEARNER_CAUGHT_UP),
                Tuple.of(1, EtcdState.LEARNER_SICK));
        Arbitrary<MemberFacts> member = Combinators.combine(state,
                Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)),
                Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false))).as(MemberFacts::new);
        Arbitrary<List<EtcdState>> dropped = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.<EtcdState>of())),
                Tuple.of(2, state.filter(s -> s != EtcdState.ABSENT).list().ofMinSize(1).ofMaxSize(2)));
        return Combinators.combine(member.list().ofMinSize(1).ofMaxSize(5), dropped,
                Arbitraries.integers().between(0, 6),
                Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)),
                Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)),
                Arbitraries.frequency(Tuple.of(19, false), Tuple.of(1, true)),
                Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true))).as(PlannerFacts::new);
    }

    /**
     * Members the spec dropped (often the leader) beside spec voters some of which are sick: the situations in which
     * a removal could cost the quorum.
     */
    public static Arbitrary<PlannerFacts> removals() {
        Arbitrary<MemberFacts> voter = Arbitraries.frequency(Tuple.of(3, EtcdState.VOTER),
                Tuple.of(1, EtcdState.VOTER_SICK), Tuple.of(1, EtcdState.VOTER_SLOW))
                .map(s -> new MemberFacts(s, true, true));
        Arbitrary<List<EtcdState>> dropped = Arbitraries.frequency(Tuple.of(3, EtcdState.VOTER),
                Tuple.of(1, EtcdState.VOTER_SICK)).list().ofMinSize(1).ofMaxSize(2);
        return Combinators.combine(voter.list().ofMinSize(1).ofMaxSize(5), dropped, Arbitraries.integers().between(0, 6))
                .as((members, gone, leader) -> new PlannerFacts(members, gone, leader, true, false, false, false));
    }
}
