package dev.etcdvm.operator.reconciler.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.MemberConfig.Peer;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.support.Specs;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** JoinerPeers and RetiringMembers. */
class MembershipSupportTest {
    private static final MemberSpec M1 = new MemberSpec("etcd-1", "10.250.0.11");
    private static final MemberSpec M2 = new MemberSpec("etcd-2", "10.250.0.12");
    private static final MemberSpec M3 = new MemberSpec("etcd-3", "10.250.0.13");
    private static final MemberSpec M4 = new MemberSpec("etcd-4", "10.250.0.14");

    @Nested
    class JoinerPeersTest {
        @Test
        void listsEveryMemberEtcdHasWithTheJoinerUnderItsSpecName() {
            List<Peer> peers = JoinerPeers.of("etcd-4", peerUrl(M4),
                    List.of(started("a1", M1), started("a2", M2), started("a3", M3), neverStarted("a4", M4)));
            assertThat(peers).containsExactly(
                    new Peer("etcd-1", "https://10.250.0.11:2380"),
                    new Peer("etcd-2", "https://10.250.0.12:2380"),
                    new Peer("etcd-3", "https://10.250.0.13:2380"),
                    new Peer("etcd-4", "https://10.250.0.14:2380"));
        }

        @Test
        void theOldMachineOfAHostSwapIsListedUnderItsIdNotTheSharedName() {
            MemberSpec newEtcd3 = new MemberSpec("etcd-3", "10.250.0.23");
            List<Peer> peers = JoinerPeers.of("etcd-3", peerUrl(newEtcd3),
                    List.of(started("a1", M1), started("a2", M2), started("a3", M3), neverStarted("b3", newEtcd3)));
            assertThat(peers).containsExactly(
                    new Peer("etcd-1", "https://10.250.0.11:2380"),
                    new Peer("etcd-2", "https://10.250.0.12:2380"),
                    new Peer("member-a3", "https://10.250.0.13:2380"),
                    new Peer("etcd-3", "https://10.250.0.23:2380"));
        }

        @Test
        void anotherMemberThatNeverStartedIsListedUnderItsId() {
            List<Peer> peers = JoinerPeers.of("etcd-4", peerUrl(M4),
                    List.of(started("a1", M1), neverStarted("a3", M3), neverStarted("a4", M4)));
            assertThat(peers).containsExactly(
                    new Peer("etcd-1", "https://10.250.0.11:2380"),
                    new Peer("member-a3", "https://10.250.0.13:2380"),
                    new Peer("etcd-4", "https://10.250.0.14:2380"));
        }

        @Test
        void everyPeerUrlOfAMemberIsListed() {
            EtcdMemberView twoUrls = new EtcdMemberView("a1", "etcd-1", List.of(peerUrl(M1), "https://192.168.0.11:2380"),
                    List.of(clientUrl(M1)), false, true, 1L, null, "3.5.16", 1L, 1L, 1L, 1L, true);
            List<Peer> peers = JoinerPeers.of("etcd-4", peerUrl(M4), List.of(twoUrls, neverStarted("a4", M4)));
            assertThat(peers).containsExactly(
                    new Peer("etcd-1", "https://10.250.0.11:2380"),
                    new Peer("etcd-1", "https://192.168.0.11:2380"),
                    new Peer("etcd-4", "https://10.250.0.14:2380"));
        }
    }

    @Nested
    class RetiringMembersTest {
        @Test
        void aMachineDroppedFromTheSpecIsRemovingWhileEtcdStillListsIt() {
            EtcdVmCluster cluster = cluster(M1, M2);
            cluster.setStatus(status(List.of(running(M1, "a1"), running(M2, "a2"), running(M3, "old-id", 2222)), List.of()));

            List<MemberStatus> leaving = leaving(cluster, etcd(started("a1", M1), started("a2", M2), started("a3", M3)));

            assertThat(leaving).hasSize(1);
            MemberStatus m = leaving.get(0);
            assertThat(m.getName()).isEqualTo("etcd-3");
            assertThat(m.getAddress()).isEqualTo("10.250.0.13");
            assertThat(m.getSshPort()).isEqualTo(2222);
            assertThat(m.getId()).isEqualTo("a3"); // etcd's id wins over what status remembered
            assertThat(m.getPhase()).isEqualTo(RetiringMembers.REMOVING);
            assertThat(m.getMessage()).contains("still an etcd member");
        }

        @Test
        void aMachineEtcdNoLongerListsIsRetiring() {
            EtcdVmCluster cluster = cluster(M1, M2);
            cluster.setStatus(status(List.of(running(M1, "a1"), running(M2, "a2"), running(M3, "a3", 2222)), List.of()));

            List<MemberStatus> leaving = leaving(cluster, etcd(started("a1", M1), started("a2", M2)));

            assertThat(leaving).hasSize(1);
            MemberStatus m = leaving.get(0);
            assertThat(m.getName()).isEqualTo("etcd-3");
            assertThat(m.getPhase()).isEqualTo(RetiringMembers.RETIRING);
            assertThat(m.getId()).isEqualTo("a3");
            assertThat(m.getSshPort()).isEqualTo(2222);
            assertThat(m.getMessage()).contains("service is stopped next");
        }

        @Test
        void withoutAMemberListTheRecordedPhaseIsKept() {
            EtcdVmCluster cluster = cluster(M1);
            MemberStatus retiring = running(M3, "a3", null);
            retiring.setPhase(RetiringMembers.RETIRING);
            cluster.setStatus(status(List.of(running(M1, "a1"), running(M2, "a2")), List.of(retiring)));

            List<MemberStatus> leaving = leaving(cluster, EtcdView.unavailable("down"));

            // etcd-3 was already removed; etcd-2 had no leaving phase yet, so it is assumed still a member.
            assertThat(leaving).extracting(MemberStatus::getName, MemberStatus::getPhase).containsExactlyInAnyOrder(
                    tuple("etcd-3", RetiringMembers.RETIRING),
                    tuple("etcd-2", RetiringMembers.REMOVING));
        }

        @Test
        void theRetiringListIsRememberedBeforeTheMemberList() {
            EtcdVmCluster cluster = cluster(M1, M2);
            MemberStatus retiring = running(M3, "a3", 2222);
            retiring.setPhase(RetiringMembers.RETIRING);
            MemberStatus stale = running(M3, "a3", 22); // an older entry for the same machine
            cluster.setStatus(status(List.of(running(M1, "a1"), running(M2, "a2"), stale), List.of(retiring)));

            List<MemberStatus> leaving = leaving(cluster, EtcdView.unavailable("down"));

            assertThat(leaving).hasSize(1);
            assertThat(leaving.get(0).getSshPort()).isEqualTo(2222);
            assertThat(leaving.get(0).getPhase()).isEqualTo(RetiringMembers.RETIRING);
        }

        @Test
        void aMachineWhoseAddressIsStillInTheSpecIsNeverListed() {
            // etcd-3 was renamed to etcd-x on the same machine: that machine must not be stopped.
            MemberSpec renamed = new MemberSpec("etcd-x", M3.getAddress());
            EtcdVmCluster cluster = cluster(M1, M2, renamed);
            cluster.setStatus(status(List.of(running(M1, "a1"), running(M2, "a2"), running(M3, "a3", null)), List.of()));

            assertThat(leaving(cluster, etcd(started("a1", M1), started("a2", M2), started("a3", M3)))).isEmpty();
            assertThat(leaving(cluster, EtcdView.unavailable("down"))).isEmpty();
        }

        @Test
        void anEtcdMemberNoStatusRemembersIsListedFromItsPeerUrl() {
            EtcdVmCluster cluster = cluster(M1, M2);
            List<MemberStatus> leaving = leaving(cluster, etcd(started("a1", M1), started("a2", M2),
                    neverStarted("a9", new MemberSpec("gone", "10.250.0.99"))));

            assertThat(leaving).hasSize(1);
            MemberStatus m = leaving.get(0);
            assertThat(m.getName()).isEqualTo("member a9");
            assertThat(m.getAddress()).isEqualTo("10.250.0.99");
            assertThat(m.getId()).isEqualTo("a9");
            assertThat(m.getSshPort()).isNull();
            assertThat(m.getPhase()).isEqualTo(RetiringMembers.REMOVING);
        }

        @Test
        void theOldMachineOfAHostSwapIsListedUnderTheSharedName() {
            MemberSpec newEtcd3 = new MemberSpec("etcd-3", "10.250.0.23");
            EtcdVmCluster cluster = cluster(M1, M2, newEtcd3);
            cluster.setStatus(status(List.of(running(M1, "a1"), running(M2, "a2"), running(M3, "a3", 2200)), List.of()));

            List<MemberStatus> leaving = leaving(cluster,
                    etcd(started("a1", M1), started("a2", M2), started("a3", M3), neverStarted("b3", newEtcd3)));

            assertThat(leaving).extracting(MemberStatus::getName, MemberStatus::getAddress, MemberStatus::getPhase,
                    MemberStatus::getSshPort).containsExactly(
                    tuple("etcd-3", "10.250.0.13", RetiringMembers.REMOVING, 2200));
            assertThat(RetiringMembers.machine(leaving.get(0))).isEqualTo(new MemberSpec("etcd-3", "10.250.0.13", 2200));
        }

        @Test
        void nothingLeavesAClusterWithoutStatusWhoseMembersAllMatch() {
            assertThat(leaving(cluster(M1, M2), etcd(started("a1", M1), started("a2", M2)))).isEmpty();
        }
    }

    // ---- helpers ----

    private static List<MemberStatus> leaving(EtcdVmCluster cluster, EtcdView etcd) {
        return RetiringMembers.of(cluster, etcd, MemberMatch.of(cluster, etcd));
    }

    private static EtcdVmCluster cluster(MemberSpec... members) {
        return Specs.cluster("c", "ns", Arrays.asList(members));
    }

    private static EtcdVmClusterStatus status(List<MemberStatus> members, List<MemberStatus> retiring) {
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.setClusterId("abc");
        status.getMembers().addAll(members);
        status.getRetiringMembers().addAll(retiring);
        return status;
    }

    private static MemberStatus running(MemberSpec m, String id) {
        return running(m, id, null);
    }

    private static MemberStatus running(MemberSpec m, String id, Integer sshPort) {
        MemberStatus s = new MemberStatus();
        s.setName(m.getName());
        s.setAddress(m.getAddress());
        s.setId(id);
        s.setSshPort(sshPort);
        s.setPhase("Running");
        s.setHealthy(true);
        return s;
    }

    private static EtcdView etcd(EtcdMemberView... members) {
        return new EtcdView(Optional.of("abc"), List.of(members), List.of(), List.of(), true, Optional.empty());
    }

    private static EtcdMemberView started(String id, MemberSpec m) {
        return new EtcdMemberView(id, m.getName(), List.of(peerUrl(m)), List.of(clientUrl(m)), false, true, 2L, null,
                "3.5.16", 20_480L, 16_384L, 2L, 1000L, false);
    }

    private static EtcdMemberView neverStarted(String id, MemberSpec m) {
        return new EtcdMemberView(id, "", List.of(peerUrl(m)), List.of(), true, false, null, "connection refused",
                null, null, null, null, null, false);
    }

    private static String peerUrl(MemberSpec m) {
        String host = m.getAddress().contains(":") ? "[" + m.getAddress() + "]" : m.getAddress();
        return "https://" + host + ":2380";
    }

    private static String clientUrl(MemberSpec m) {
        String host = m.getAddress().contains(":") ? "[" + m.getAddress() + "]" : m.getAddress();
        return "https://" + host + ":2379";
    }
}
