package dev.etcdvm.operator.reconciler.observe;

import java.util.List;
import java.util.Optional;

/**
 * What etcd itself said this pass.
 *
 * @param clusterId the id every answering member agreed on (empty when none answered)
 * @param members the member list, each with its own endpoint's status and health
 * @param foreignClusterIds cluster ids answered that differ from the majority's: a reason to freeze
 * @param alarms active alarms, e.g. "NOSPACE on etcd-2"
 * @param error why the cluster could not be asked at all
 */
public record EtcdView(Optional<String> clusterId, List<EtcdMemberView> members, List<String> foreignClusterIds,
        List<String> alarms, Optional<String> error) {

    public static EtcdView unavailable(String error) {
        return new EtcdView(Optional.empty(), List.of(), List.of(), List.of(), Optional.of(error));
    }

    /** By peer URL only: during a host swap two members share a name. */
    public Optional<EtcdMemberView> memberByPeerUrl(String peerUrl) {
        return members.stream().filter(m -> m.peerUrls().contains(peerUrl)).findFirst();
    }

    public boolean available() {
        return error.isEmpty();
    }
}
