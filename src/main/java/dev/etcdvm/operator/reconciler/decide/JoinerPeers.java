package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.provision.MemberConfig;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import java.util.ArrayList;
import java.util.List;

/**
 * ETCD_INITIAL_CLUSTER for a machine joining an existing cluster: exactly the members etcd lists now,
 * the learner included. etcd matches them by peer URL, not name, so a member sharing the joiner's name
 * (the old machine of a host swap) or one without a name yet is listed under its id instead.
 */
public final class JoinerPeers {
    private JoinerPeers() {
    }

    public static List<MemberConfig.Peer> of(String joinerName, String joinerPeerUrl, List<EtcdMemberView> members) {
        List<MemberConfig.Peer> peers = new ArrayList<>();
        for (EtcdMemberView m : members) {
            boolean joiner = m.peerUrls().contains(joinerPeerUrl);
            String name = joiner ? joinerName
                    : m.name().isEmpty() || m.name().equals(joinerName) ? "member-" + m.id() : m.name();
            m.peerUrls().forEach(url -> peers.add(new MemberConfig.Peer(name, url)));
        }
        return peers;
    }
}
