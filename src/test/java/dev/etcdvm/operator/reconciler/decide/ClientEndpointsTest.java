package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Clients are sent where voting members serve, never to an address no member answers on. */
class ClientEndpointsTest {
    private final EtcdVmCluster cluster = Specs.cluster("c", "ns", List.of(new MemberSpec("etcd-1", "10.0.0.1"),
            new MemberSpec("etcd-2", "10.0.0.2"), new MemberSpec("etcd-3", "10.0.0.3")));

    @Test
    void votersAdvertisedUrlsInTheSpecsOrderWithoutLearnersOrMembersNeverStarted() {
        ObservedCluster observed = etcd(member("etcd-3", "10.0.0.3", false), member("etcd-1", "10.0.0.1", false),
                member("etcd-2", "10.0.0.2", true), member("", "10.0.0.4", false));
        assertThat(ClientEndpoints.of(cluster, observed))
                .containsExactly("https://10.0.0.1:2379", "https://10.0.0.3:2379");
    }

    @Test
    void anAddressTheSpecChangedIsNotPublishedBeforeAMemberServesThere() {
        cluster.getSpec().getMembers().get(0).setAddress("etcd-1.example");
        ObservedCluster observed = etcd(member("etcd-1", "10.0.0.1", false));
        assertThat(ClientEndpoints.of(cluster, observed)).containsExactly("https://10.0.0.1:2379");
    }

    @Test
    void whileEtcdIsSilentWhatWasPublishedStandsAndBeforeThatTheSpec() {
        ObservedCluster silent = new ObservedCluster(List.of(), EtcdView.unavailable("no answer"));
        assertThat(ClientEndpoints.of(cluster, silent)).containsExactly("https://10.0.0.1:2379",
                "https://10.0.0.2:2379", "https://10.0.0.3:2379");
        cluster.setStatus(new EtcdVmClusterStatus());
        cluster.getStatus().setEndpoints(List.of("https://10.0.0.2:2379"));
        assertThat(ClientEndpoints.of(cluster, silent)).containsExactly("https://10.0.0.2:2379");
    }

    private static ObservedCluster etcd(EtcdMemberView... members) {
        return new ObservedCluster(List.of(), new EtcdView(Optional.of("c1"), List.of(members), List.of(), List.of(),
                true, Optional.empty()));
    }

    private static EtcdMemberView member(String name, String address, boolean learner) {
        return new EtcdMemberView("id-" + address, name, List.of("https://" + address + ":2380"),
                name.isEmpty() ? List.of() : List.of("https://" + address + ":2379"), learner, true, 3L, null, "3.5.16",
                1L, 1L, 2L, 100L, false);
    }
}
