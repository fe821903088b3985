package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.PlannedRestarts;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One status entry per spec member, from its machine, its etcd member and what this pass did to it. */
public final class MemberEntries {
    public static final String RESTARTING = "Restarting";
    public static final String RESTART_STALLED = "RestartStalled";

    private MemberEntries() {
    }

    static MemberStatus of(EtcdVmCluster cluster, MemberSpec member, ObservedCluster observed,
            Map<String, HostResult> results, String probeTime, boolean lossAccepted) {
        MemberStatus status = new MemberStatus();
        status.setName(member.getName());
        status.setAddress(member.getAddress());
        status.setLastProbeTime(probeTime);
        Optional<HostObservation> host = observed.host(member.getName());
        host.map(HostObservation::hostKeyFingerprint).ifPresent(status::setHostKeyFingerprint);
        String peerUrl = EtcdUrls.peerUrl(member.getAddress(), cluster.getSpec().getEtcd().getPeerPort());
        status.setSshPort(member.getSshPort());
        Optional<EtcdMemberView> etcd = observed.etcd().memberByPeerUrl(peerUrl);
        etcd.ifPresent(e -> copyEtcd(e, status));
        if (etcd.isEmpty() && !observed.etcd().available()) {
            // Who the member was is still true while etcd cannot be asked: data-loss checks rely on it.
            previous(cluster, member).ifPresent(p -> {
                status.setId(p.getId());
                status.setLearner(p.getLearner());
            });
        }
        status.setDataId(dataId(cluster, member, status.getId(), host, lossAccepted));
        status.setHealthy(etcd.map(EtcdMemberView::healthy).orElse(false));
        Optional<HostResult> result = Optional.ofNullable(results.get(member.getName()));

        Optional<String> failure = result.flatMap(HostResult::failure).map(Failure::message);
        if (host.isPresent() && !host.get().isReachable()) {
            status.setPhase("Unreachable");
            status.setMessage(host.get().failure().get().message());
        } else if (etcd.map(MemberMatch::neverStarted).orElse(false)) {
            status.setPhase("Joining");
            status.setMessage("added to etcd as a learner; starting");
        } else if (etcd.map(EtcdMemberView::healthy).orElse(false)) {
            // A member that serves is Running even when bringing its machine in line failed this pass.
            status.setPhase(etcd.get().learner() ? "Learner" : "Running");
            failure.ifPresent(status::setMessage);
        } else if (etcd.isPresent() && plannedRestart(cluster, host, probeTime).isPresent()) {
            boolean late = plannedRestart(cluster, host, probeTime).get();
            status.setPhase(late ? RESTART_STALLED : RESTARTING);
            status.setMessage(late ? "not serving within " + cluster.getSpec().getRestartDeadlineSeconds() + " s of its planned"
                    + " restart; the rollout is halted" : "restarted as planned; coming back");
        } else if (failure.isPresent()) {
            status.setPhase("Failed");
            status.setMessage(failure.get());
        } else if (etcd.isPresent() && host.flatMap(HostObservation::facts).map(HostFacts::serviceActive).orElse(false)) {
            status.setPhase("Unhealthy");
            status.setMessage(etcd.get().healthError());
        } else if (formed(cluster) && observed.etcd().available() && etcd.isEmpty()) {
            status.setPhase("Provisioning");
            status.setMessage("not an etcd member yet; joins as a learner");
        } else if (formed(cluster)
                && !host.flatMap(HostObservation::facts).map(HostFacts::hasMemberData).orElse(true)) {
            status.setPhase("Unhealthy");
            status.setMessage("the machine holds no etcd data for this member");
        } else {
            status.setPhase("Provisioning");
        }
        status.setUnhealthySince(status.getHealthy() ? null : previous(cluster, member)
                .map(MemberStatus::getUnhealthySince).orElse(probeTime));
        return status;
    }

    /**
     * The identity recorded for the member's data: once recorded for a member id it stays, whatever the machine holds
     * now (a machine without it is a loss, see DataLoss), until a data loss is accepted; otherwise what the machine's
     * data carries.
     */
    private static String dataId(EtcdVmCluster cluster, MemberSpec member, String memberId,
            Optional<HostObservation> host, boolean lossAccepted) {
        Optional<String> recorded = previous(cluster, member).filter(p -> memberId != null && memberId.equals(p.getId()))
                .map(MemberStatus::getDataId);
        if (recorded.isPresent() && !lossAccepted) {
            return recorded.get();
        }
        return host.flatMap(HostObservation::facts).filter(f -> f.memberId().filter(m -> m.equals(memberId)).isPresent())
                .flatMap(HostFacts::dataId).orElse(null);
    }

    /** For a member not serving: false while it comes back from a planned restart, true once that stalled. */
    private static Optional<Boolean> plannedRestart(EtcdVmCluster cluster, Optional<HostObservation> host,
            String probeTime) {
        Instant now = Instant.parse(probeTime);
        Duration deadline = PlannedRestarts.deadline(cluster);
        return host.flatMap(HostObservation::facts).flatMap(f -> PlannedRestarts.onSchedule(f, now, deadline)
                ? Optional.of(false) : PlannedRestarts.stalled(f, now, deadline) ? Optional.of(true) : Optional.empty());
    }

    private static boolean formed(EtcdVmCluster cluster) {
        return cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
    }

    /** The same member (name and machine) in the last written status. */
    private static Optional<MemberStatus> previous(EtcdVmCluster cluster, MemberSpec member) {
        return cluster.getStatus() == null ? Optional.empty() : cluster.getStatus().getMembers().stream()
                .filter(m -> member.getName().equals(m.getName()) && member.getAddress().equals(m.getAddress()))
                .findFirst();
    }

    private static void copyEtcd(EtcdMemberView e, MemberStatus status) {
        status.setId(e.id());
        status.setLearner(e.learner());
        status.setLeader(e.leader());
        status.setVersion(e.version());
        status.setDbSizeBytes(e.dbSizeBytes());
        status.setDbSizeInUseBytes(e.dbSizeInUseBytes());
        status.setRaftTerm(e.raftTerm());
        status.setRaftIndex(e.raftIndex());
        status.setHealthLatencyMillis(e.healthLatencyMillis());
        if (!e.healthy()) {
            status.setMessage(e.healthError());
        }
    }

    /** @param lossAccepted this pass acts on an accept-data-loss value: recorded data identities start over */
    static List<MemberStatus> all(EtcdVmCluster cluster, ObservedCluster observed, Map<String, HostResult> results,
            String probeTime, boolean lossAccepted) {
        return cluster.getSpec().getMembers().stream()
                .map(m -> of(cluster, m, observed, results, probeTime, lossAccepted)).toList();
    }
}
