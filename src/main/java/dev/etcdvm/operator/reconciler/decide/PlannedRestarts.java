package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.provision.HostFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Members coming back from a restart the operator asked for, and when one is late enough to halt a rollout. */
public final class PlannedRestarts {
    /** How long a member may take to serve again after a planned restart before the rollout is halted. */
    public static final Duration DEADLINE = Duration.ofMinutes(2);

    private PlannedRestarts() {
    }

    /** How long ago the restart was asked for, when the member has not come back from it yet. */
    public static Optional<Duration> pendingFor(HostFacts facts, Instant now) {
        return facts.plannedRestartPending().map(asked -> Duration.between(asked, now))
                .map(d -> d.isNegative() ? Duration.ZERO : d);
    }

    /** Still within the deadline: the rollout waits for it. */
    public static boolean onSchedule(HostFacts facts, Instant now) {
        return pendingFor(facts, now).map(d -> d.compareTo(DEADLINE) <= 0).orElse(false);
    }
}
