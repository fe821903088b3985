package dev.etcdvm.operator.reconciler.observe;

import java.util.List;
import java.util.Optional;

/** Everything one pass learned, gathered before any decision is made. */
public record ObservedCluster(List<HostObservation> hosts, EtcdView etcd) {
    public ObservedCluster {
        hosts = List.copyOf(hosts);
    }

    public List<HostObservation> unreachable() {
        return hosts.stream().filter(h -> !h.isReachable()).toList();
    }

    public Optional<HostObservation> host(String member) {
        return hosts.stream().filter(h -> h.member().equals(member)).findFirst();
    }
}
