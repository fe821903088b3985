package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.reconciler.kube.SecretReader;
import dev.etcdvm.operator.reconciler.machines.ClusterAccess;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.ssh.HostAccessException;
import dev.etcdvm.operator.ssh.RemoteHost;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sessions of one cluster in tests that reach no machine: it names the cluster (so fakes can tell whose
 * machines they were asked to change) and refuses every login.
 */
public record FakeHosts(String cluster) implements ClusterHosts {
    @Override
    public RemoteHost open(MemberSpec member) throws HostAccessException {
        throw new HostAccessException(HostAccessException.Kind.Unreachable, "no machines in this test");
    }

    /** Resolves credentials the way the real access does (reading the key), counting resolutions. */
    public static final class Access implements ClusterAccess {
        private final AtomicInteger resolutions = new AtomicInteger();
        private volatile RuntimeException failure;

        /** From now on resolving credentials fails with {@code e} (null: it works again). */
        public Access failing(RuntimeException e) {
            failure = e;
            return this;
        }

        @Override
        public ClusterHosts forCluster(EtcdVmCluster cluster, SecretReader secrets) {
            resolutions.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            var key = cluster.getSpec().getSsh().getPrivateKeySecretRef();
            secrets.value(cluster.getMetadata().getNamespace(), key.getName(), key.getKey());
            return new FakeHosts(cluster.getMetadata().getName());
        }

        public int resolutions() {
            return resolutions.get();
        }
    }

    static String clusterOf(ClusterHosts hosts) {
        return hosts instanceof FakeHosts fake ? fake.cluster() : "?";
    }
}
