package dev.etcdvm.operator.reconciler.observe;

import java.util.List;
import java.util.Optional;

/**
 * What etcd itself said this pass.
 *
 * @param clusterId the id every answering member agreed on (empty when none answered)
 * @param members the member list, each with its own endpoint's status and health
 * @param foreignClusterIds cluster ids answered that differ from the majority's: a reason to freeze
 * @param alarms active alarms, e.g. "NOSPACE on etcd-2"; empty when they could not be read (see alarmsKnown)
 * @param alarmsKnown whether the alarm list was read: an unknown alarm state is never "no alarms"
 * @param error why the cluster could not be asked at all
 * @param clusterVersion the cluster version the leader reports (e.g. "3.5.0"), when it could be read
 */
public record EtcdView(Optional<String> clusterId, List<EtcdMemberView> members, List<String> foreignClusterIds,
        List<String> alarms, boolean alarmsKnown, Optional<String> error, Optional<String> clusterVersion) {

    public EtcdView(Optional<String> clusterId, List<EtcdMemberView> members, List<String> foreignClusterIds,
            List<String> alarms, boolean alarmsKnown, Optional<String> error) {
        this(clusterId, members, foreignClusterIds, alarms, alarmsKnown, error, Optional.empty());
    }

    public EtcdView withClusterVersion(Optional<String> version) {
        return new EtcdView(clusterId, members, foreignClusterIds, alarms, alarmsKnown, error, version);
    }

    public static EtcdView unavailable(String error) {
        return new EtcdView(Optional.empty(), List.of(), List.of(), List.of(), false, Optional.of(error));
    }

    /** By peer URL only: during a host swap two members share a name. */
    public Optional<EtcdMemberView> memberByPeerUrl(String peerUrl) {
        return members.stream().filter(m -> m.peerUrls().contains(peerUrl)).findFirst();
    }

    /**
     * Alarms that hold changes back: the active ones, or, when etcd answered but its alarm list could not
     * be read, that their state is unknown. When etcd does not answer at all, that is the problem instead.
     */
    public List<String> alarmProblems() {
        return alarmsKnown || !available() ? alarms : List.of(UNKNOWN_ALARMS);
    }

    public static final String UNKNOWN_ALARMS = "alarm state unknown: the alarm list could not be read";

    public boolean available() {
        return error.isEmpty();
    }
}
