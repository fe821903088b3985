package dev.etcdvm.operator.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it forward, so scheduled times come exactly when the test says
 * (an hour of schedule passes in a step) and never on their own in between.
 */
public final class SteppedClock extends Clock {
    private final Instant start;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** Starts at the given time; keep it at or before the real time, as certificates are issued from it. */
    public SteppedClock(Instant start) {
        this.start = start;
    }

    public void advance(Duration step) {
        offset.accumulateAndGet(step, Duration::plus);
    }

    @Override
    public Instant instant() {
        return start.plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
