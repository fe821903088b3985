package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import java.util.List;
import java.util.Optional;

/**
 * The spec's members paired with etcd's member list. Pairing is by peer URL, never by name: during a
 * host swap the old and the new machine carry the same member name.
 */
public record MemberMatch(List<Paired> paired, List<EtcdMemberView> extras, List<EtcdMemberView> voters) {

    /** A spec member and, once it is one, its etcd member. */
    public record Paired(MemberSpec spec, String peerUrl, Optional<EtcdMemberView> etcd) {
    }

    public static MemberMatch of(EtcdVmCluster cluster, EtcdView etcd) {
        int peerPort = cluster.getSpec().getEtcd().getPeerPort();
        List<Paired> paired = cluster.getSpec().getMembers().stream().map(m -> {
            String url = EtcdUrls.peerUrl(m.getAddress(), peerPort);
            return new Paired(m, url, etcd.memberByPeerUrl(url));
        }).toList();
        List<String> wanted = paired.stream().map(Paired::peerUrl).toList();
        List<EtcdMemberView> extras = etcd.members().stream()
                .filter(e -> e.peerUrls().stream().noneMatch(wanted::contains)).toList();
        List<EtcdMemberView> voters = etcd.members().stream().filter(e -> !e.learner()).toList();
        return new MemberMatch(paired, extras, voters);
    }

    /** The membership is the spec's: no member still leaving, no learner still joining, none missing. */
    public boolean settled() {
        return extras.isEmpty() && paired.stream().allMatch(p -> p.etcd().map(e -> !e.learner()).orElse(false));
    }

    public List<EtcdMemberView> healthyVoters() {
        return voters.stream().filter(EtcdMemberView::healthy).toList();
    }

    public Optional<EtcdMemberView> leader() {
        return voters.stream().filter(EtcdMemberView::leader).findFirst();
    }

    /** Votes needed to commit anything among {@code voters} voting members. */
    public static int quorum(int voters) {
        return voters / 2 + 1;
    }

    /** The name etcd knows a member by; one added but never started has none yet. */
    public static String nameOf(EtcdMemberView member) {
        return member.name().isEmpty() ? "member " + member.id() : member.name();
    }

    /** A learner (or member) that was added but whose process has never published itself. */
    public static boolean neverStarted(EtcdMemberView member) {
        return member.name().isEmpty() && member.clientUrls().isEmpty();
    }
}
