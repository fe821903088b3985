package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.provision.HostFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Members coming back from a restart the operator asked for, and when one is late enough to halt a rollout. */
public final class PlannedRestarts {

    private PlannedRestarts() {
    }

    /** How long ago the operator last asked this member to restart, if it ever did. */
    public static Optional<Duration> askedAgo(HostFacts facts, Instant now) {
        if (facts.plannedRestartAt() <= 0) {
            return Optional.empty();
        }
        Duration ago = Duration.between(Instant.ofEpochSecond(facts.plannedRestartAt()), now);
        return Optional.of(ago.isNegative() ? Duration.ZERO : ago);
    }

    /** How long a member may take to serve again after a planned restart before the rollout is halted. */
    public static Duration deadline(EtcdVmCluster cluster) {
        return Duration.ofSeconds(cluster.getSpec().getRestartDeadlineSeconds());
    }

    /** A member not serving within the deadline of its planned restart is still coming back from it. */
    public static boolean onSchedule(HostFacts facts, Instant now, Duration deadline) {
        return askedAgo(facts, now).map(d -> d.compareTo(deadline) <= 0).orElse(false);
    }

    /** Past the deadline and never started since it was asked to restart: the rollout halts. */
    public static boolean stalled(HostFacts facts, Instant now, Duration deadline) {
        return askedAgo(facts, now).map(d -> d.compareTo(deadline) > 0).orElse(false)
                && facts.plannedRestartPending().isPresent();
    }
}
