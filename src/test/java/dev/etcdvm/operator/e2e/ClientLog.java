package dev.etcdvm.operator.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one client saw, attempt by attempt: when it succeeded and when it failed (and with what), so the errors
 * and the longest stretch without a success can be told for any window of the test.
 */
final class ClientLog {
    private record Attempt(long nanos, boolean ok, String error) {
    }

    /** A named stretch of the test, e.g. "upgrade". */
    record Window(String name, long fromNanos, long toNanos) {
    }

    private final String name;
    private final List<Attempt> attempts = new ArrayList<>();

    ClientLog(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    synchronized void ok() {
        attempts.add(new Attempt(System.nanoTime(), true, null));
    }

    synchronized void failed(String error) {
        attempts.add(new Attempt(System.nanoTime(), false, error));
    }

    synchronized long errors(Window window) {
        return within(window).stream().filter(a -> !a.ok()).count();
    }

    synchronized long successes(Window window) {
        return within(window).stream().filter(Attempt::ok).count();
    }

    /**
     * The longest time in the window without a success: from the window's start (or a success) to the next
     * success, or to the window's end when none came.
     */
    synchronized Duration longestGap(Window window) {
        long last = window.fromNanos();
        long longest = 0;
        for (Attempt a : within(window)) {
            if (a.ok()) {
                longest = Math.max(longest, a.nanos() - last);
                last = a.nanos();
            }
        }
        longest = Math.max(longest, window.toNanos() - last);
        return Duration.ofNanos(longest);
    }

    /** The first error seen in the window, for the table. */
    synchronized String firstError(Window window) {
        return within(window).stream().filter(a -> !a.ok()).map(Attempt::error).findFirst().orElse("");
    }

    private List<Attempt> within(Window window) {
        return attempts.stream().filter(a -> a.nanos() >= window.fromNanos() && a.nanos() <= window.toNanos()).toList();
    }
}
