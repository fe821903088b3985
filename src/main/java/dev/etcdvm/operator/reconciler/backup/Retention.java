package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.RetentionSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which snapshots a retention policy keeps: the newest {@code keepLast}, and the newest of each of the last
 * {@code hourly} hours and {@code daily} days (UTC, counted back from now, the current one included).
 */
public final class Retention {
    private Retention() {
    }

    /** The keys to keep; every other snapshot given may be deleted. */
    public static Set<String> keep(List<SnapshotKeys.Snapshot> snapshots, RetentionSpec policy, Instant now) {
        List<SnapshotKeys.Snapshot> newestFirst = snapshots.stream()
                .sorted(Comparator.comparing(SnapshotKeys.Snapshot::time).reversed()).toList();
        Set<String> kept = new HashSet<>();
        newestFirst.stream().limit(policy.getKeepLast()).forEach(s -> kept.add(s.key()));
        kept.addAll(newestPer(newestFirst, ChronoUnit.HOURS, policy.getHourly(), now));
        kept.addAll(newestPer(newestFirst, ChronoUnit.DAYS, policy.getDaily(), now));
        return kept;
    }

    private static Set<String> newestPer(List<SnapshotKeys.Snapshot> newestFirst, ChronoUnit unit, int count, Instant now) {
        if (count == 0) {
            return Set.of();
        }
        Instant oldestBucket = now.truncatedTo(unit).minus(count - 1L, unit);
        Map<Instant, String> newest = new LinkedHashMap<>();
        for (SnapshotKeys.Snapshot s : newestFirst) {
            Instant bucket = s.time().truncatedTo(unit);
            if (!bucket.isBefore(oldestBucket) && !s.time().isAfter(now)) {
                newest.putIfAbsent(bucket, s.key());
            }
        }
        return Set.copyOf(newest.values());
    }
}
