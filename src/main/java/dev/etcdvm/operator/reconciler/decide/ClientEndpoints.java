package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.Comparator;
import java.util.List;

/**
 * The endpoints clients are told to use (status.endpoints and the client Secret): the client URLs etcd's
 * voting members advertise, in the spec's order. Not the spec's addresses: a machine still joining, or
 * an address change the operator refused, would send clients where no member serves them. While etcd
 * cannot be asked, what was published last stands; before anything was, the spec is all there is.
 */
public final class ClientEndpoints {
    private ClientEndpoints() {
    }

    public static List<String> of(EtcdVmCluster cluster, ObservedCluster observed) {
        List<String> advertised = observed.etcd().members().stream().filter(m -> !m.learner() && !m.clientUrls().isEmpty())
                .sorted(Comparator.comparingInt(m -> specOrder(cluster, m))).map(m -> m.clientUrls().get(0)).toList();
        if (!advertised.isEmpty()) {
            return advertised;
        }
        List<String> published = cluster.getStatus() == null ? List.of() : cluster.getStatus().getEndpoints();
        return published != null && !published.isEmpty() ? List.copyOf(published) : fromSpec(cluster);
    }

    private static List<String> fromSpec(EtcdVmCluster cluster) {
        int port = cluster.getSpec().getEtcd().getClientPort();
        return cluster.getSpec().getMembers().stream().map(m -> EtcdUrls.clientUrl(m.getAddress(), port)).toList();
    }

    private static int specOrder(EtcdVmCluster cluster, EtcdMemberView member) {
        List<MemberSpec> members = cluster.getSpec().getMembers();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).getName().equals(member.name())) {
                return i;
            }
        }
        return members.size();
    }
}
