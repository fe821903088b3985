package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Machines leaving the cluster (dropped from the spec, or the old machine of a host swap), from the
 * last written status and etcd's member list. A machine is "Removing" while etcd still lists it and
 * "Retiring" once it does not, until its service has been stopped. Status is the memory: an operator
 * killed right after MemberRemove finds the machine here and still stops it.
 */
public final class RetiringMembers {
    public static final String REMOVING = "Removing";
    public static final String RETIRING = "Retiring";

    private RetiringMembers() {
    }

    public static List<MemberStatus> of(EtcdVmCluster cluster, EtcdView etcd, MemberMatch match) {
        Set<String> specAddresses = cluster.getSpec().getMembers().stream().map(MemberSpec::getAddress)
                .collect(Collectors.toSet());
        Map<String, MemberStatus> leaving = new LinkedHashMap<>();
        if (cluster.getStatus() != null) {
            List<MemberStatus> known = new ArrayList<>(cluster.getStatus().getRetiringMembers());
            known.addAll(cluster.getStatus().getMembers());
            for (MemberStatus m : known) {
                if (m.getAddress() != null && !specAddresses.contains(m.getAddress()) && !leaving.containsKey(m.getAddress())) {
                    MemberStatus e = entry(m.getName(), m.getAddress(), m.getSshPort(), m.getId());
                    e.setPhase(REMOVING.equals(m.getPhase()) || RETIRING.equals(m.getPhase()) ? m.getPhase() : null);
                    if (RETIRING.equals(m.getPhase()) && m.getLastProbeTime() != null) {
                        // A failed attempt to stop it: when, and why, decide the next attempt.
                        e.setLastProbeTime(m.getLastProbeTime());
                        e.setMessage(m.getMessage());
                    }
                    leaving.put(m.getAddress(), e);
                }
            }
        }
        for (EtcdMemberView e : match.extras()) {
            e.peerUrls().stream().map(EtcdUrls::addressOf).filter(a -> !specAddresses.contains(a)).findFirst()
                    .ifPresent(a -> leaving.putIfAbsent(a, entry(MemberMatch.nameOf(e), a, null, e.id())));
        }
        int peerPort = cluster.getSpec().getEtcd().getPeerPort();
        List<MemberStatus> result = new ArrayList<>();
        for (MemberStatus m : leaving.values()) {
            Optional<EtcdMemberView> listed = etcd.memberByPeerUrl(EtcdUrls.peerUrl(m.getAddress(), peerPort));
            // Without a member list nobody can tell whether the machine was removed: it stays as it was.
            String phase = !etcd.available() ? Optional.ofNullable(m.getPhase()).orElse(REMOVING)
                    : listed.isPresent() ? REMOVING : RETIRING;
            listed.ifPresent(e -> m.setId(e.id()));
            if (!phase.equals(m.getPhase()) || m.getLastProbeTime() == null) {
                m.setLastProbeTime(null);
                m.setMessage(phase.equals(REMOVING) ? "still an etcd member; removed once the quorum guard allows"
                        : "removed from etcd; its service is stopped next");
            }
            m.setPhase(phase);
            result.add(m);
        }
        return result;
    }

    /** The machine to log in to, as the spec described it when it was a member. */
    public static MemberSpec machine(MemberStatus leaving) {
        return new MemberSpec(leaving.getName(), leaving.getAddress(), leaving.getSshPort());
    }

    private static MemberStatus entry(String name, String address, Integer sshPort, String id) {
        MemberStatus m = new MemberStatus();
        m.setName(name);
        m.setAddress(address);
        m.setSshPort(sshPort);
        m.setId(id);
        return m;
    }
}
