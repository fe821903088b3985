package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.provision.MachinePaths;
import dev.etcdvm.operator.provision.ManagedFile;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.Specs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a CA rotation may take its next step: every member holds its TLS files and etcd has loaded the CAs. */
class TlsSettledTest {
    private static final long STARTED = 1_000;

    private final EtcdVmCluster cluster = Specs.threeMembers("c", "ns");
    private final Map<String, MemberPlan> plans = Planning.founders(cluster, "uid");

    @Test
    void settledWhenEveryMachineHoldsItsFilesAndStartedAfterItsCaWasWritten() {
        assertThat(TlsSettled.waitingFor(plans, observed(Map.of()), match())).isEmpty();
    }

    @Test
    void aTrustedCaWrittenAfterEtcdStartedIsNotLoadedYet() {
        assertThat(TlsSettled.waitingFor(plans, observed(Map.of("etcd-2", caWrittenLater())), match()))
                .hasValueSatisfying(w -> assertThat(w).contains("etcd-2", "restart"));
    }

    @Test
    void aMachineStillHoldingItsOldCertificateIsWaitedFor() {
        assertThat(TlsSettled.waitingFor(plans, observed(Map.of("etcd-3", oldPeerCertificate())), match()))
                .hasValueSatisfying(w -> assertThat(w).contains("etcd-3", "certificates"));
    }

    @Test
    void anUnhealthyMemberHoldsTheRotation() {
        ObservedCluster observed = observed(Map.of());
        EtcdView sick = new EtcdView(observed.etcd().clusterId(), List.of(member("etcd-1", true), member("etcd-2", false),
                member("etcd-3", true)), List.of(), List.of(), true, Optional.empty());
        ObservedCluster withSick = new ObservedCluster(observed.hosts(), sick);
        assertThat(TlsSettled.waitingFor(plans, withSick, MemberMatch.of(cluster, sick))).isPresent();
    }

    private MemberMatch match() {
        return MemberMatch.of(cluster, observed(Map.of()).etcd());
    }

    private ObservedCluster observed(Map<String, Map<String, HostFacts.RemoteFileState>> overrides) {
        List<HostObservation> hosts = cluster.getSpec().getMembers().stream().map(m -> {
            Map<String, HostFacts.RemoteFileState> files = new HashMap<>();
            plans.get(m.getName()).files().forEach(f -> files.put(f.path(), state(f, STARTED - 10)));
            files.putAll(overrides.getOrDefault(m.getName(), Map.of()));
            return HostObservation.reachable(m.getName(), m.getAddress(), "SHA256:x", facts(files));
        }).toList();
        List<EtcdMemberView> members = cluster.getSpec().getMembers().stream().map(m -> member(m.getName(), true)).toList();
        return new ObservedCluster(hosts, new EtcdView(Optional.of("c1"), members, List.of(), List.of(), true,
                Optional.empty()));
    }

    private Map<String, HostFacts.RemoteFileState> caWrittenLater() {
        ManagedFile ca = plans.get("etcd-2").files().stream().filter(f -> f.path().equals(HostLayout.CA_CERT))
                .findFirst().orElseThrow();
        return Map.of(HostLayout.CA_CERT, state(ca, STARTED + 5));
    }

    private static Map<String, HostFacts.RemoteFileState> oldPeerCertificate() {
        return Map.of(HostLayout.PEER_CERT, new HostFacts.RemoteFileState("0000 0644 root root", STARTED - 10));
    }

    private EtcdMemberView member(String name, boolean healthy) {
        MemberSpec spec = cluster.getSpec().getMembers().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow();
        return new EtcdMemberView("id-" + name, name, List.of("https://" + spec.getAddress() + ":2380"),
                List.of("https://" + spec.getAddress() + ":2379"), false, healthy, 2L, null, "3.5.16", 1L, 1L, 2L,
                100L, name.equals("etcd-1"));
    }

    private static HostFacts.RemoteFileState state(ManagedFile file, long modified) {
        return new HostFacts.RemoteFileState(file.sha256() + " " + file.mode() + " " + file.owner() + " " + file.group(),
                modified);
    }

    private static HostFacts facts(Map<String, HostFacts.RemoteFileState> files) {
        return new HostFacts("x86_64", true, Optional.of("3.5.16"), 1, HostFacts.DataDir.MEMBER, Optional.of("uid"),
                Optional.empty(), Optional.empty(), "active", true, STARTED, Map.of(2379, "etcd", 2380, "etcd"), 1_000_000, files, 0,
                MachinePaths.NONE);
    }
}
