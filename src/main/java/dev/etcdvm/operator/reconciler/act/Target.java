package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Instant;

/**
 * What an executor acts through: the pass's machine sessions and TLS material, and the resource only as the handle
 * the collaborators find its etcd endpoints and object store by. Executors read no spec or status from it
 * (checked by ArchitectureTest): all they decide on is in their action.
 */
public record Target(EtcdVmCluster cluster, ClusterTls tls, ClusterHosts hosts, Instant now) {
    static Target of(Pass pass) {
        return new Target(pass.cluster(), pass.tls(), pass.hosts(), pass.now());
    }
}
