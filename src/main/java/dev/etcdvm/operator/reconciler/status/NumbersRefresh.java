package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Status is for state; numbers that move on every pass of a cluster taking writes (each member's raft index and
 * term, db sizes, health latency and probe time, the leader's high-water marks) would otherwise make every resync
 * a write. They are written with any other change, and on their own at most once per refresh interval. Metrics
 * carry them as they move.
 */
final class NumbersRefresh {
    private NumbersRefresh() {
    }

    /**
     * Whether to keep the stored status although the new one differs: only numbers changed, and the stored ones are
     * younger than the refresh interval.
     */
    static boolean holdBack(EtcdVmClusterStatus stored, EtcdVmClusterStatus next, Instant now, Duration refresh) {
        if (stored == null || refresh.isZero() || !withoutNumbers(stored).equals(withoutNumbers(next))) {
            return false;
        }
        return lastRefresh(stored).map(at -> at.plus(refresh).isAfter(now)).orElse(false);
    }

    /** When the numbers were last written: the members' probe time, stamped with them. */
    private static Optional<Instant> lastRefresh(EtcdVmClusterStatus status) {
        return status.getMembers().stream().map(MemberStatus::getLastProbeTime).filter(Objects::nonNull)
                .map(Instant::parse).max(Instant::compareTo);
    }

    private static EtcdVmClusterStatus withoutNumbers(EtcdVmClusterStatus status) {
        EtcdVmClusterStatus copy = Serialization.clone(status);
        copy.setHighestRaftIndex(null);
        copy.setHighestRevision(null);
        // Retiring entries keep theirs: a failed retirement's time paces its retries.
        blank(copy.getMembers());
        return copy;
    }

    private static void blank(List<MemberStatus> members) {
        for (MemberStatus m : members) {
            m.setRaftIndex(null);
            m.setRaftTerm(null);
            m.setDbSizeBytes(null);
            m.setDbSizeInUseBytes(null);
            m.setHealthLatencyMillis(null);
            m.setLastProbeTime(null);
        }
    }
}
