package dev.etcdvm.operator.bench;

import dev.etcdvm.operator.timing.PhaseTimings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every recorded phase duration of one run. */
final class RecordingTimings implements PhaseTimings {
    private final Map<String, List<Duration>> phases = new ConcurrentHashMap<>();

    @Override
    public void record(String phase, Duration elapsed) {
        phases.computeIfAbsent(phase, p -> new CopyOnWriteArrayList<>()).add(elapsed);
    }

    /** The longest of a phase's parallel runs: what it adds to wall-clock time. */
    Duration slowest(String phase) {
        return phases.getOrDefault(phase, List.of()).stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    int count(String phase) {
        return phases.getOrDefault(phase, List.of()).size();
    }
}
