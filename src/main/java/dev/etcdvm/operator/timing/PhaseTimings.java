package dev.etcdvm.operator.timing;

import java.time.Duration;

/**
 * Where the time of provisioning goes (connect, preflight, install, files, start, certs). Production
 * wiring records nothing; the benchmark records everything and prints the breakdown.
 */
@FunctionalInterface
public interface PhaseTimings {
    PhaseTimings NONE = (phase, elapsed) -> { };

    void record(String phase, Duration elapsed);

    /** Starts a stopwatch for one phase; {@link Stopwatch#stop()} records it. */
    default Stopwatch start(String phase) {
        long started = System.nanoTime();
        return () -> record(phase, Duration.ofNanos(System.nanoTime() - started));
    }

    /** A running measurement of one phase. */
    @FunctionalInterface
    interface Stopwatch {
        void stop();
    }
}
