package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a cluster's snapshots live in the bucket: {@code <prefix>/<namespace>/<name>/<uid>/<time>.db}.
 * The cluster's uid in the path keeps a re-created cluster of the same name apart; the time as the name makes key
 * order time order (what the snapshot holds is in the object's metadata). Only keys of exactly this shape under a cluster's own folder are ever pruned.
 */
public final class SnapshotKeys {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("(\\d{8}T\\d{6}Z)\\.db");
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotKeys.class);
    /** Malformed keys already reported: each is logged once per operator run, not on every pass. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    /** A key of the snapshot shape, and when it was taken. */
    public record Snapshot(String key, Instant time) {
    }

    private SnapshotKeys() {
    }

    /** The cluster's folder, ending in a slash. */
    public static String folder(EtcdVmCluster cluster) {
        String prefix = Optional.ofNullable(cluster.getSpec().getBackup().getStore().getPrefix()).orElse("");
        String base = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        return base + cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName() + "/"
                + cluster.getMetadata().getUid() + "/";
    }

    public static String key(EtcdVmCluster cluster, Instant time) {
        return folder(cluster) + TIME.format(time) + ".db";
    }

    /** The snapshot a key names, when it lies directly in this folder and has the snapshot shape. */
    public static Optional<Snapshot> parse(String folder, String key) {
        if (!key.startsWith(folder)) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(key.substring(folder.length()));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Snapshot(key, TIME.parse(m.group(1), Instant::from)));
        } catch (DateTimeException e) {
            // Anyone may write to the bucket: a key of the right shape but no real time is skipped, never a
            // reason for the schedule, the pruning or a restore to stop.
            if (REPORTED.add(key)) {
                LOG.warn("skipping object {}: shaped like a snapshot key but {} is not a time", key, m.group(1));
            }
            return Optional.empty();
        }
    }
}
