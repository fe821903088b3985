package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.SecretKeyRef;
import dev.etcdvm.operator.api.v1alpha1.SshSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

/** Builders for EtcdVmCluster resources in tests. */
public final class Specs {
    public static final String SSH_SECRET = "etcd-ssh";
    public static final String PRIVATE_KEY = "id_ed25519";
    public static final String KNOWN_HOSTS = "known_hosts";

    private Specs() {
    }

    /** A valid 3-member cluster whose Secrets {@link #SSH_SECRET} must exist. */
    public static EtcdVmCluster threeMembers(String name, String namespace) {
        return cluster(name, namespace, List.of(
                new MemberSpec("etcd-1", "10.250.0.11"),
                new MemberSpec("etcd-2", "10.250.0.12"),
                new MemberSpec("etcd-3", "10.250.0.13")));
    }

    public static EtcdVmCluster cluster(String name, String namespace, List<MemberSpec> members) {
        EtcdVmCluster cluster = new EtcdVmCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        EtcdVmClusterSpec spec = new EtcdVmClusterSpec();
        spec.setVersion("3.5.16");
        spec.setMembers(new ArrayList<>(members));
        SshSpec ssh = new SshSpec();
        ssh.setPrivateKeySecretRef(new SecretKeyRef(SSH_SECRET, PRIVATE_KEY));
        ssh.setKnownHostsSecretRef(new SecretKeyRef(SSH_SECRET, KNOWN_HOSTS));
        spec.setSsh(ssh);
        cluster.setSpec(spec);
        return cluster;
    }
}
