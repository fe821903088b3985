package dev.etcdvm.operator.reconciler.pass;

import dev.etcdvm.operator.reconciler.decide.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * When to look again, from what the steps said. Quickly while work is under way; with a growing delay
 * while a problem persists (half the time it has lasted, within bounds), so a dead host is not hammered;
 * else the resync. A member due for replacement is looked at on time, whatever the backoff says.
 */
public final class NextLook {
    static final Duration WHILE_PROGRESSING = Duration.ofMillis(500);
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration MAX_RETRY = Duration.ofMinutes(2);
    /** Just after a backup's time rather than on it: a look exactly on it may find the clock a hair short. */
    static final Duration BACKUP_MARGIN = Duration.ofMillis(200);

    private NextLook() {
    }

    /**
     * @param ready whether this pass found the cluster Ready
     * @param notReadySince since when it has not been Ready (now, when it just stopped being Ready)
     */
    public static Duration after(Pass pass, boolean ready, Instant notReadySince, Duration resync) {
        Set<Pace> paces = pass.effects().paces();
        boolean soon = paces.contains(Pace.SOON) || (paces.contains(Pace.WAITING) && !paces.contains(Pace.PROBLEM));
        Duration next = soon ? progressing(resync) : ready ? resync : afterProblem(notReadySince, pass.now(), resync);
        if (pass.decision().mode() == Decision.Mode.CONVERGE && pass.decision().replacementDue().isPresent()) {
            Duration due = Duration.between(pass.now(), pass.decision().replacementDue().get());
            due = due.isNegative() ? Duration.ZERO : due;
            if (due.compareTo(next) < 0) {
                next = due.plus(progressing(resync));
            }
        }
        return next;
    }

    /** The look planned, or earlier when backups are due before it (a scheduled time, a retry). */
    public static Duration notAfter(Duration planned, Instant now, Optional<Instant> due) {
        if (due.isEmpty()) {
            return planned;
        }
        Duration until = Duration.between(now, due.get());
        until = (until.isNegative() ? Duration.ZERO : until).plus(BACKUP_MARGIN);
        return until.compareTo(planned) < 0 ? until : planned;
    }

    public static Duration progressing(Duration resync) {
        return min(WHILE_PROGRESSING, resync);
    }

    public static Duration afterProblem(Instant since, Instant now, Duration resync) {
        Duration half = Duration.between(since, now).dividedBy(2);
        Duration delay = half.compareTo(FIRST_RETRY) < 0 ? FIRST_RETRY : half;
        return min(min(delay, MAX_RETRY), resync.multipliedBy(4));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
