package dev.etcdvm.operator.reconciler.etcdapi;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.etcd.EtcdCluster;
import dev.etcdvm.operator.etcd.EtcdClusters;
import dev.etcdvm.operator.etcd.EtcdTls;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The etcd client of each cluster, shared by observation and membership changes. Its endpoints are the
 * spec's members and the machines last seen in status: after a host swap of a one-member cluster, only
 * the leaving machine can answer until the new one has joined.
 */
public final class EtcdConnections implements AutoCloseable {
    private final EtcdClusters clusters;

    public EtcdConnections(EtcdClusters clusters) {
        this.clusters = clusters;
    }

    public EtcdCluster of(EtcdVmCluster cluster, ClusterTls tls) {
        return clusters.get(cluster.getMetadata().getUid(), endpoints(cluster),
                new EtcdTls(tls.caPem(), tls.operatorCertPem(), tls.operatorKeyPem()));
    }

    static List<String> endpoints(EtcdVmCluster cluster) {
        int port = cluster.getSpec().getEtcd().getClientPort();
        Set<String> endpoints = new LinkedHashSet<>();
        cluster.getSpec().getMembers().forEach(m -> endpoints.add(EtcdUrls.clientUrl(m.getAddress(), port)));
        if (cluster.getStatus() != null) {
            // The endpoints published last are where members served; the last status also knows the machines
            // of the previous spec, before any of them is listed as leaving.
            cluster.getStatus().getEndpoints().forEach(endpoints::add);
            Stream.concat(cluster.getStatus().getMembers().stream(), cluster.getStatus().getRetiringMembers().stream())
                    .map(MemberStatus::getAddress).filter(Objects::nonNull)
                    .forEach(a -> endpoints.add(EtcdUrls.clientUrl(a, port)));
        }
        return List.copyOf(endpoints);
    }

    public void forget(EtcdVmCluster cluster) {
        clusters.forget(cluster.getMetadata().getUid());
    }

    @Override
    public void close() {
        clusters.close();
    }
}
