package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the cluster lost data it once had. Member and cluster ids are deterministic (the token is the
 * resource's uid), so an empty cluster formed again looks like the old one by id: the evidence is the
 * raft index, which only ever grows, machines that held a member's data and hold none now, and members running
 * on data that does not carry the identity recorded for them.
 */
public final class DataLoss {
    private DataLoss() {
    }

    /** What was lost, in words for the condition; empty when nothing points to a loss. */
    public static Optional<String> find(EtcdVmCluster cluster, ObservedCluster observed) {
        if (cluster.getStatus() == null || cluster.getStatus().getClusterId() == null) {
            return Optional.empty();
        }
        return behindHighWater(cluster, observed).or(() -> votersWithoutData(cluster, observed))
                .or(() -> replacedData(cluster, observed));
    }

    /** The leader commits everything ever committed: a leader below the recorded index lost entries. */
    private static Optional<String> behindHighWater(EtcdVmCluster cluster, ObservedCluster observed) {
        Long highWater = cluster.getStatus().getHighestRaftIndex();
        Optional<Long> leaderIndex = leaderIndex(observed);
        if (highWater == null || leaderIndex.isEmpty() || leaderIndex.get() >= highWater) {
            return Optional.empty();
        }
        return Optional.of("etcd's leader reports raft index " + leaderIndex.get() + ", below the " + highWater
                + " this cluster had reached: data written since was lost (the cluster was re-formed empty or"
                + " restored from an older copy)");
    }

    /**
     * A majority of the voters last seen hold no member data on machines that answer, and etcd does not
     * answer: what they held is gone, and starting them empty would form a new cluster.
     */
    private static Optional<String> votersWithoutData(EtcdVmCluster cluster, ObservedCluster observed) {
        if (observed.etcd().available()) {
            return Optional.empty();
        }
        List<MemberStatus> voters = lastVoters(cluster);
        List<String> empty = voters.stream().filter(v -> holdsNoData(cluster, v, observed))
                .map(MemberStatus::getName).toList();
        // While some voter's machine still holds its data, this is a quorum loss to recover from (see QuorumLoss).
        boolean anyLeft = voters.stream().anyMatch(v -> observed.host(v.getName()).flatMap(HostObservation::facts)
                .map(f -> f.hasMemberData()).orElse(false));
        if (voters.isEmpty() || anyLeft || empty.size() < MemberMatch.quorum(voters.size())) {
            return Optional.empty();
        }
        return Optional.of(empty.size() + " of " + voters.size() + " voting members (" + String.join(", ", empty)
                + ") answer on machines that hold no etcd data, and etcd does not answer: the cluster's data is gone");
    }

    /**
     * Members whose machines still record them and hold member data, but not the identity recorded for it: the data
     * dir was emptied or replaced and etcd started afresh under the same member id. The raft index cannot tell: an
     * idle cluster formed again soon reaches the index the old one was last seen at.
     */
    private static Optional<String> replacedData(EtcdVmCluster cluster, ObservedCluster observed) {
        List<String> replaced = cluster.getStatus().getMembers().stream()
                .filter(m -> m.getId() != null && m.getDataId() != null && onSpecMachine(cluster, m))
                .filter(m -> observed.host(m.getName()).flatMap(HostObservation::facts)
                        .filter(f -> f.hasMemberData() && f.memberId().filter(m.getId()::equals).isPresent()
                                && !f.dataId().filter(m.getDataId()::equals).isPresent())
                        .isPresent())
                .map(MemberStatus::getName).toList();
        if (replaced.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(", ", replaced) + " run(s) on data without the identity recorded for it ("
                + HostLayout.DATA_ID_FILE + " in the data dir): the data was emptied or replaced and etcd started"
                + " afresh under the same member id; what the member held is gone from it");
    }

    /** The voter's machine is still the spec's and answers, and its data dir holds no member. */
    private static boolean holdsNoData(EtcdVmCluster cluster, MemberStatus voter, ObservedCluster observed) {
        return onSpecMachine(cluster, voter) && observed.host(voter.getName()).flatMap(HostObservation::facts)
                .map(f -> !f.hasMemberData()).orElse(false);
    }

    /** The voting members status last recorded (with an id): what a loss is judged against. */
    static List<MemberStatus> lastVoters(EtcdVmCluster cluster) {
        return cluster.getStatus().getMembers().stream()
                .filter(m -> m.getId() != null && !Boolean.TRUE.equals(m.getLearner())).toList();
    }

    /** The voter's address is still one the spec lists: its machine is the one observed under its name. */
    static boolean onSpecMachine(EtcdVmCluster cluster, MemberStatus voter) {
        return cluster.getSpec().getMembers().stream().map(MemberSpec::getAddress)
                .anyMatch(a -> a.equals(voter.getAddress()));
    }

    /** The highest committed index the leader reports now, to raise the recorded one. */
    public static Optional<Long> leaderIndex(ObservedCluster observed) {
        return observed.etcd().members().stream().filter(EtcdMemberView::leader).map(EtcdMemberView::raftIndex)
                .filter(Objects::nonNull).findFirst();
    }
}
