package dev.etcdvm.operator.reconciler;

import java.time.Duration;
import java.time.Instant;

/**
 * When to look again. Quickly while work is under way; with a growing delay while a problem persists
 * (half the time it has lasted, within bounds), so a dead host is not hammered; else the resync.
 */
final class Requeue {
    static final Duration WHILE_PROGRESSING = Duration.ofMillis(500);
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration MAX_RETRY = Duration.ofMinutes(2);

    private Requeue() {
    }

    static Duration progressing(Duration resync) {
        return min(WHILE_PROGRESSING, resync);
    }

    static Duration afterProblem(Instant since, Instant now, Duration resync) {
        Duration half = Duration.between(since, now).dividedBy(2);
        Duration delay = half.compareTo(FIRST_RETRY) < 0 ? FIRST_RETRY : half;
        return min(min(delay, MAX_RETRY), resync.multipliedBy(4));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
