package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.pass.Pass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A pass's numbers for metrics, read off what it observed and the status it wrote. */
public final class ClusterReadings {
    private ClusterReadings() {
    }

    public static ClusterReading of(Pass pass, ClusterFacts facts, EtcdVmClusterStatus status) {
        EtcdVmCluster cluster = pass.cluster();
        List<EtcdMemberView> etcd = pass.observed().etcd().members();
        Optional<EtcdMemberView> leader = etcd.stream().filter(EtcdMemberView::leader).findFirst();
        Optional<Long> leaderIndex = leader.map(EtcdMemberView::raftIndex);
        List<ClusterReading.MemberReading> members = status.getMembers().stream().map(m -> new ClusterReading.MemberReading(
                m.getName(), Boolean.TRUE.equals(m.getHealthy()), m.getDbSizeBytes(), m.getDbSizeInUseBytes(),
                lag(leaderIndex, m), m.getHealthLatencyMillis())).toList();
        Optional<Instant> lastSnapshot = Optional.ofNullable(status.getBackup()).map(b -> b.getLastSnapshot())
                .map(s -> s.getTime()).map(Instant::parse);
        return new ClusterReading(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
                cluster.getSpec().getMembers().size(), facts.healthyVoters(),
                etcd.stream().filter(m -> !m.learner()).count(), leader.map(EtcdMemberView::name), facts.ready(), members,
                Optional.of(pass.tls().firstExpiry()), renewBefore(cluster), lastSnapshot);
    }

    /** A cluster whose spec could not be acted on: not Ready, nothing else known. */
    public static ClusterReading invalid(EtcdVmCluster cluster) {
        return new ClusterReading(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
                cluster.getSpec() == null || cluster.getSpec().getMembers() == null ? 0 : cluster.getSpec().getMembers().size(),
                0, 0, Optional.empty(), false, List.of(), Optional.empty(), renewBefore(cluster), Optional.empty());
    }

    private static Long lag(Optional<Long> leaderIndex, MemberStatus member) {
        return leaderIndex.isPresent() && member.getRaftIndex() != null
                ? Math.max(0, leaderIndex.get() - member.getRaftIndex()) : null;
    }

    private static Duration renewBefore(EtcdVmCluster cluster) {
        return cluster.getSpec() == null || cluster.getSpec().getTls() == null ? Duration.ZERO
                : Duration.ofDays(cluster.getSpec().getTls().getRenewBeforeDays());
    }
}
