package dev.etcdvm.operator.reconciler.etcdapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.support.Specs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdConnectionsTest {
    @Test
    void aSwappedSingleMemberIsStillReachedThroughTheMachineStatusLastSaw() {
        EtcdVmCluster cluster = Specs.cluster("solo", "ns", new ArrayList<>(List.of(new MemberSpec("etcd-1", "10.0.0.2"))));
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.getMembers().add(member("etcd-1", "10.0.0.1"));
        status.getRetiringMembers().add(member("etcd-0", "10.0.0.9"));
        cluster.setStatus(status);

        assertThat(EtcdConnections.endpoints(cluster))
                .containsExactly("https://10.0.0.2:2379", "https://10.0.0.1:2379", "https://10.0.0.9:2379");
    }

    @Test
    void withoutStatusOnlyTheSpecsMachinesAreAsked() {
        EtcdVmCluster cluster = Specs.threeMembers("c", "ns");
        assertThat(EtcdConnections.endpoints(cluster))
                .containsExactly("https://10.250.0.11:2379", "https://10.250.0.12:2379", "https://10.250.0.13:2379");
    }

    private static MemberStatus member(String name, String address) {
        MemberStatus m = new MemberStatus();
        m.setName(name);
        m.setAddress(address);
        return m;
    }
}
