package dev.etcdvm.operator.reconciler.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.RetentionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:30:00Z");

    private static List<SnapshotKeys.Snapshot> every(Duration step, int count) {
        List<SnapshotKeys.Snapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant t = NOW.minus(step.multipliedBy(i));
            snapshots.add(new SnapshotKeys.Snapshot(t.toString(), t));
        }
        return snapshots;
    }

    private static RetentionSpec policy(int keepLast, int hourly, int daily) {
        RetentionSpec spec = new RetentionSpec();
        spec.setKeepLast(keepLast);
        spec.setHourly(hourly);
        spec.setDaily(daily);
        return spec;
    }

    @Test
    void keepLastKeepsTheNewestWhateverTheirOrderInTheListing() {
        List<SnapshotKeys.Snapshot> snapshots = new ArrayList<>(every(Duration.ofMinutes(1), 5));
        java.util.Collections.reverse(snapshots);
        assertThat(Retention.keep(snapshots, policy(3, 0, 0), NOW))
                .containsExactlyInAnyOrder("2026-11-26T12:30:00Z", "2026-11-26T12:29:00Z", "2026-11-26T12:28:00Z");
    }

    @Test
    void hourlyKeepsTheNewestOfEachOfTheLastHours() {
        // Every 20 minutes for 5 hours: 12:30, 12:10, 11:50, 11:30, 11:10, 10:50, ...
        Set<String> kept = Retention.keep(every(Duration.ofMinutes(20), 15), policy(1, 3, 0), NOW);
        assertThat(kept).containsExactlyInAnyOrder("2026-11-26T12:30:00Z", // newest, and newest of 12:00
                "2026-11-26T11:50:00Z", "2026-11-26T10:50:00Z");
    }

    @Test
    void dailyKeepsTheNewestOfEachDayAndTheRulesAddUp() {
        Set<String> kept = Retention.keep(every(Duration.ofHours(7), 20), policy(2, 0, 3), NOW);
        // newest two: 12:30 and 05:30 today; newest of yesterday (25th 22:30) and of the 24th (24th 20:30)
        assertThat(kept).containsExactlyInAnyOrder("2026-11-26T12:30:00Z", "2026-11-26T05:30:00Z",
                "2026-11-25T22:30:00Z", "2026-11-24T18:30:00Z");
    }

    @Test
    void nothingIsDroppedWhileThereAreFewerThanKeepLast() {
        assertThat(Retention.keep(every(Duration.ofDays(30), 4), policy(7, 24, 7), NOW)).hasSize(4);
    }
}
