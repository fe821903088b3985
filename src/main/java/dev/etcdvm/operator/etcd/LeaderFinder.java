package dev.etcdvm.operator.etcd;

import java.util.ArrayList;
import java.util.List;

/** Finds a client URL of the current leader: etcd accepts move-leader only from the leader itself. */
final class LeaderFinder {
    private final EtcdCluster cluster;
    private final List<String> endpoints;
    private final String operation;

    LeaderFinder(EtcdCluster cluster, List<String> endpoints, String operation) {
        this.cluster = cluster;
        this.endpoints = endpoints;
        this.operation = operation;
    }

    /** Asks our endpoints in turn who leads, then picks one of the leader's client URLs. */
    String leaderEndpoint() {
        long leader = 0;
        List<String> problems = new ArrayList<>();
        for (String endpoint : endpoints) {
            try {
                leader = cluster.status(endpoint).leaderId();
                if (leader != 0) {
                    break;
                }
                problems.add(endpoint + ": knows no leader");
            } catch (EtcdException e) {
                problems.add(e.getMessage());
            }
        }
        String all = String.join(",", endpoints);
        if (leader == 0) {
            throw new EtcdException(operation, all, "no endpoint names a leader " + problems, null);
        }
        long leaderId = leader;
        EtcdMember member = cluster.members().stream().filter(m -> m.id() == leaderId).findFirst()
                .orElseThrow(() -> new EtcdException(operation, all,
                        "leader " + EtcdMember.hex(leaderId) + " is not in the member list", null));
        // Prefer a URL we were configured with: it is an address this operator is known to reach.
        return member.clientUrls().stream().filter(endpoints::contains).findFirst()
                .or(() -> member.clientUrls().stream().findFirst())
                .orElseThrow(() -> new EtcdException(operation, all,
                        "leader " + member.hexId() + " advertises no client URL", null));
    }
}
