package dev.etcdvm.operator.reconciler.observe;

import java.util.List;

/** Everything one pass learned about the machines, gathered before any decision is made. */
public record ObservedCluster(List<HostObservation> hosts) {
    public ObservedCluster {
        hosts = List.copyOf(hosts);
    }

    public List<HostObservation> unreachable() {
        return hosts.stream().filter(h -> !h.isReachable()).toList();
    }
}
