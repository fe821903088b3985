package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.provision.MachinePaths;
import dev.etcdvm.operator.provision.ManagedFile;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A formed, healthy cluster as the planners see it, that changes as their decisions are carried out:
 * machines (by address; two addresses may reach one machine) and etcd's member list. Learners start in
 * the pass after they are added, as the provision step makes them; everything stays healthy, so what a
 * test sees is what the decisions alone do.
 */
final class ClusterWorld {
    static final String UID = "uid-c";
    private static final long RAFT_INDEX = 100;

    /** One machine: what it holds for this cluster. */
    private static final class Machine {
        Optional<String> memberId = Optional.empty();
        Map<String, HostFacts.RemoteFileState> files = Map.of();
        Map<String, String> record = Map.of();
        Optional<String> version = Optional.empty();

        HostFacts facts() {
            boolean data = memberId.isPresent();
            return new HostFacts("x86_64", true, version, data ? 1 : 0,
                    data ? HostFacts.DataDir.MEMBER : HostFacts.DataDir.ABSENT, data ? Optional.of(UID) : Optional.empty(),
                    memberId, memberId.map(id -> "data-" + id), data ? "active" : "inactive", data, data ? 1 : 0,
                    Map.of(2379, data ? "etcd" : "free", 2380, data ? "etcd" : "free"), 10_000_000, files, 0,
                    new MachinePaths("", "", List.of(), record));
        }

        /** Provisioned as {@code plan} and running member {@code id}. */
        void provisioned(MemberPlan plan, String id) {
            memberId = Optional.of(id);
            version = Optional.of(plan.release().version());
            Map<String, HostFacts.RemoteFileState> held = new HashMap<>();
            for (ManagedFile file : plan.wantedFiles(true)) {
                held.put(file.path(), new HostFacts.RemoteFileState(attributes(file), 1));
            }
            files = Map.copyOf(held);
            record = new HashMap<>();
            for (String line : new String(plan.files().stream().filter(f -> f.path().equals(HostLayout.INSTALL_RECORD_FILE))
                    .findFirst().orElseThrow().content()).split("\n")) {
                record.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
            }
        }
    }

    /** One etcd member. */
    private record Member(String id, String name, String peerUrl, String clientUrl, boolean learner, boolean leader) {
        EtcdMemberView view() {
            boolean started = !name.isEmpty();
            return new EtcdMemberView(id, name, List.of(peerUrl), started ? List.of(clientUrl) : List.of(), learner,
                    started, started ? 3L : null, started ? null : "not started", "3.5.16", 20_480L, 16_384L, 2L,
                    RAFT_INDEX, leader);
        }
    }

    private final Map<String, Machine> machines = new HashMap<>();
    private final List<Member> members = new ArrayList<>();
    private int nextId = 1;
    private boolean silent;

    /** The cluster {@code cluster} formed with these plans: every member a healthy voter, the first leading. */
    static ClusterWorld formed(EtcdVmCluster cluster, Map<String, MemberPlan> plans) {
        ClusterWorld world = new ClusterWorld();
        for (MemberSpec spec : cluster.getSpec().getMembers()) {
            String id = world.newId();
            world.machine(spec.getAddress()).provisioned(plans.get(spec.getName()), id);
            world.members.add(new Member(id, spec.getName(), peerUrl(cluster, spec), clientUrl(cluster, spec), false,
                    world.members.isEmpty()));
        }
        return world;
    }

    /** From now on {@code alias} reaches the same machine as {@code address}: a second name or NIC. */
    void alias(String alias, String address) {
        machines.put(alias, machine(address));
    }

    /** etcd stops answering (a network partition between operator and members, say); the machines do not. */
    void silence() {
        silent = true;
    }

    ObservedCluster observe(EtcdVmCluster cluster) {
        List<HostObservation> hosts = cluster.getSpec().getMembers().stream().map(m -> HostObservation.reachable(
                m.getName(), m.getAddress(), "SHA256:" + System.identityHashCode(machine(m.getAddress())),
                machine(m.getAddress()).facts())).toList();
        return new ObservedCluster(hosts, silent ? EtcdView.unavailable("etcd does not answer")
                : new EtcdView(Optional.of("c1"), members.stream().map(Member::view).toList(), List.of(), List.of(), true,
                        Optional.empty()));
    }

    /** Carries out one membership change as etcd would. */
    void apply(MembershipChange change) {
        if (change instanceof MembershipChange.AddLearner add) {
            members.add(new Member(newId(), "", add.peerUrl(), "https://" + add.member().getAddress() + ":2379", true,
                    false));
        } else if (change instanceof MembershipChange.Promote promote) {
            replace(promote.id(), m -> new Member(m.id(), m.name(), m.peerUrl(), m.clientUrl(), false, m.leader()));
        } else if (change instanceof MembershipChange.MoveLeader move) {
            members.replaceAll(m -> new Member(m.id(), m.name(), m.peerUrl(), m.clientUrl(), m.learner(),
                    m.id().equals(move.toId())));
        } else if (change instanceof MembershipChange.Remove remove) {
            members.removeIf(m -> m.id().equals(remove.id()));
        }
    }

    /** The provision step of the next pass: a learner never started starts on its machine. */
    void startJoiners(EtcdVmCluster cluster, Map<String, MemberPlan> plans) {
        for (MemberSpec spec : cluster.getSpec().getMembers()) {
            String url = peerUrl(cluster, spec);
            members.stream().filter(m -> m.peerUrl().equals(url) && m.name().isEmpty()).findFirst().ifPresent(m -> {
                replace(m.id(), j -> new Member(j.id(), spec.getName(), j.peerUrl(), j.clientUrl(), j.learner(), false));
                machine(spec.getAddress()).provisioned(plans.get(spec.getName()), m.id());
            });
        }
    }

    int voters() {
        return (int) members.stream().filter(m -> !m.learner()).count();
    }

    /** Every member here is healthy; only a member added but not started yet cannot vote for anything. */
    int healthyVoters() {
        return (int) members.stream().filter(m -> !m.learner() && !m.name().isEmpty()).count();
    }

    List<String> peerUrls() {
        return members.stream().map(Member::peerUrl).sorted().toList();
    }

    /** The id of the member whose data the machine at {@code address} holds, if it holds any. */
    Optional<String> dataOf(String address) {
        return machine(address).memberId;
    }

    boolean isMember(String id) {
        return members.stream().anyMatch(m -> m.id().equals(id));
    }

    /** Files the plan would write (or a binary it would install) that the machine does not hold as planned. */
    boolean differsFrom(String address, MemberPlan plan) {
        Machine machine = machine(address);
        boolean files = plan.wantedFiles(true).stream().filter(f -> !f.path().equals(HostLayout.INSTALL_RECORD_FILE))
                .anyMatch(f -> !Optional.ofNullable(machine.files.get(f.path())).map(HostFacts.RemoteFileState::attributes)
                        .equals(Optional.of(attributes(f))));
        return files || !machine.version.equals(Optional.of(plan.release().version()));
    }

    static String peerUrl(EtcdVmCluster cluster, MemberSpec member) {
        return EtcdUrls.peerUrl(member.getAddress(), cluster.getSpec().getEtcd().getPeerPort());
    }

    private static String clientUrl(EtcdVmCluster cluster, MemberSpec member) {
        return EtcdUrls.clientUrl(member.getAddress(), cluster.getSpec().getEtcd().getClientPort());
    }

    private static String attributes(ManagedFile file) {
        return file.sha256() + " " + file.mode() + " " + file.owner() + " " + file.group();
    }

    private Machine machine(String address) {
        return machines.computeIfAbsent(address, a -> new Machine());
    }

    private String newId() {
        return "a" + nextId++;
    }

    private void replace(String id, UnaryOperator<Member> change) {
        members.replaceAll(m -> m.id().equals(id) ? change.apply(m) : m);
    }
}
