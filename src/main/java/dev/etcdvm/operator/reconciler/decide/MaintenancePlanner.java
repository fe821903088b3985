package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MaintenanceSpec;
import dev.etcdvm.operator.api.v1alpha1.MaintenanceStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.schedule.CronSchedule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Routine maintenance as rounds of defragmentation, one member per pass, followers first and the leader last (as
 * etcd-druid does): a round starts when members are fragmented (in use below the spec's percentage of a database
 * above its floor), at a scheduled time, or on etcd's NOSPACE alarm, which is first compacted to the current revision
 * and disarmed once every member was defragmented. Nothing is done while any member is unhealthy or a learner, and
 * never in a pass that changed anything else. Pure: the step carries out what this returns.
 */
public final class MaintenancePlanner {
    public static final String FRAGMENTED = "Fragmented";
    public static final String SCHEDULED = "Scheduled";
    public static final String NO_SPACE = "NoSpace";

    /** A NOSPACE alarm back this soon after a recovery is the data itself filling the quota, not history. */
    static final Duration NO_SPACE_AGAIN = Duration.ofMinutes(10);

    private MaintenancePlanner() {
    }

    private static boolean noSpaceAgain(MaintenanceStatus status, ObservedCluster observed, Instant now) {
        return NO_SPACE.equals(status.getLastRound()) && status.getLastRoundCompletedAt() != null
                && Instant.parse(status.getLastRoundCompletedAt()).plus(NO_SPACE_AGAIN).isAfter(now)
                && observed.etcd().alarms().stream().anyMatch(a -> a.startsWith("NOSPACE"));
    }

    /** What to do now, if anything; and the maintenance status as it stands after it (or why it waits). */
    public sealed interface Action {
    }

    public record Defragment(String member, String endpoint, long dbBytes) implements Action {
    }

    public record Compact(long revision) implements Action {
    }

    public record Disarm() implements Action {
    }

    /**
     * @param next status.maintenance once the action is done (a round started, a member ticked off)
     * @param waiting why a round under way does nothing this pass
     */
    public record Plan(Optional<Action> action, MaintenanceStatus next, Optional<String> waiting) {
        static Plan idle(MaintenanceStatus status) {
            return new Plan(Optional.empty(), status, Optional.empty());
        }
    }

    public static MaintenanceSpec spec(EtcdVmCluster cluster) {
        return Optional.ofNullable(cluster.getSpec().getMaintenance()).orElseGet(MaintenanceSpec::new);
    }

    public static Plan next(EtcdVmCluster cluster, ObservedCluster observed, Instant now) {
        MaintenanceSpec spec = spec(cluster);
        MaintenanceStatus status = Optional.ofNullable(cluster.getStatus()).map(s -> s.getMaintenance())
                .map(s -> Serialization.clone(s)).orElseGet(MaintenanceStatus::new);
        List<EtcdMemberView> members = observed.etcd().members();
        Optional<EtcdMemberView> leader = members.stream().filter(EtcdMemberView::leader).findFirst();
        if (!observed.etcd().available() || leader.isEmpty()) {
            return status.getRound() == null ? Plan.idle(status) : waiting(status, "no member leads");
        }
        if (status.getRound() == null && noSpaceAgain(status, observed, now)) {
            return new Plan(Optional.empty(), status, Optional.of("NOSPACE came back within " + NO_SPACE_AGAIN.toMinutes()
                    + " minutes of the last recovery: the live data fills the quota; raise spec.etcd.quotaBackendBytes"
                    + " or delete keys"));
        }
        if (status.getRound() == null && !start(spec, status, observed, now)) {
            return Plan.idle(status);
        }
        List<String> unhealthy = members.stream().filter(m -> m.learner() || !m.healthy()).map(EtcdMemberView::name).toList();
        if (!unhealthy.isEmpty()) {
            return waiting(status, "waits until every member is a healthy voter (not: " + String.join(", ", unhealthy) + ")");
        }
        if (NO_SPACE.equals(status.getRound()) && status.getCompactedRevision() == null) {
            long revision = Objects.requireNonNullElse(leader.get().revision(), 0L);
            status.setCompactedRevision(revision);
            return new Plan(Optional.of(new Compact(revision)), status, Optional.empty());
        }
        status.getRemaining().removeIf(name -> members.stream().noneMatch(m -> m.name().equals(name)));
        Optional<EtcdMemberView> due = status.getRemaining().stream()
                .map(name -> members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow())
                .min(Comparator.comparing(EtcdMemberView::leader).thenComparing(EtcdMemberView::name));
        if (due.isEmpty()) {
            boolean disarm = NO_SPACE.equals(status.getRound());
            status.setLastRound(status.getRound());
            status.setLastRoundCompletedAt(stamp(now));
            status.setRound(null);
            status.setRoundStartedAt(null);
            status.setScheduledFor(null);
            status.setCompactedRevision(null);
            return new Plan(disarm ? Optional.of(new Disarm()) : Optional.empty(), status, Optional.empty());
        }
        Optional<Instant> pausedUntil = pausedUntil(spec, status);
        if (pausedUntil.filter(now::isBefore).isPresent()) {
            return waiting(status, "pauses between members until " + pausedUntil.get());
        }
        EtcdMemberView member = due.get();
        long db = Objects.requireNonNullElse(member.dbSizeBytes(), 0L);
        long freeBytes = observed.host(member.name()).flatMap(HostObservation::facts).map(HostFacts::diskFreeKiB)
                .orElse(0L) * 1024;
        if (freeBytes < db) {
            return waiting(status, member.name() + " needs at least " + db + " bytes free on its disk to defragment, has "
                    + freeBytes);
        }
        status.getRemaining().remove(member.name());
        status.setLastMember(member.name());
        status.setLastDefragmentedAt(stamp(now));
        return new Plan(Optional.of(new Defragment(member.name(), member.clientUrls().get(0), db)), status,
                Optional.empty());
    }

    /** When the round may take its next member: the pause after the last one. */
    public static Optional<Instant> pausedUntil(MaintenanceSpec spec, MaintenanceStatus status) {
        return Optional.ofNullable(status.getRound()).flatMap(r -> Optional.ofNullable(status.getLastDefragmentedAt()))
                .map(Instant::parse).map(t -> t.plusSeconds(spec.getPauseBetweenMembersSeconds()));
    }

    /** Starts a round when one is called for; false when none is. */
    private static boolean start(MaintenanceSpec spec, MaintenanceStatus status, ObservedCluster observed, Instant now) {
        List<EtcdMemberView> members = observed.etcd().members();
        boolean noSpace = observed.etcd().alarms().stream().anyMatch(a -> a.startsWith("NOSPACE"));
        Optional<Instant> scheduled = scheduledFire(spec, status, now);
        List<String> chosen;
        String reason;
        if (noSpace && spec.isRecoverFromNoSpace()) {
            reason = NO_SPACE;
            chosen = members.stream().map(EtcdMemberView::name).toList();
        } else if (scheduled.isPresent()) {
            reason = SCHEDULED;
            status.setLastScheduledFor(scheduled.get().toString());
            status.setScheduledFor(scheduled.get().toString());
            chosen = members.stream().filter(m -> large(spec, m)).map(EtcdMemberView::name).toList();
        } else if (spec.isDefragment()) {
            reason = FRAGMENTED;
            chosen = members.stream().filter(m -> large(spec, m) && m.dbSizeInUseBytes() != null
                    && m.dbSizeInUseBytes() * 100 < (long) spec.getDefragmentBelowInUsePercent() * m.dbSizeBytes())
                    .map(EtcdMemberView::name).toList();
        } else {
            return false;
        }
        if (chosen.isEmpty() && !NO_SPACE.equals(reason)) {
            return false;
        }
        status.setRound(reason);
        status.setRoundStartedAt(stamp(now));
        status.setRemaining(new java.util.ArrayList<>(chosen));
        status.setCompactedRevision(null);
        status.setLastDefragmentedAt(null);
        return true;
    }

    /**
     * The schedule's latest time not answered yet. The first look only takes note of the latest past time, so
     * setting a schedule never starts a round for a time before it was set.
     */
    private static Optional<Instant> scheduledFire(MaintenanceSpec spec, MaintenanceStatus status, Instant now) {
        if (spec.getDefragmentSchedule() == null || spec.getDefragmentSchedule().isBlank()) {
            return Optional.empty();
        }
        Optional<Instant> last = CronSchedule.parse(spec.getDefragmentSchedule()).lastAtOrBefore(now);
        if (status.getLastScheduledFor() == null) {
            last.ifPresent(t -> status.setLastScheduledFor(t.toString()));
            return Optional.empty();
        }
        return last.filter(t -> t.isAfter(Instant.parse(status.getLastScheduledFor())));
    }

    private static boolean large(MaintenanceSpec spec, EtcdMemberView m) {
        return m.dbSizeBytes() != null && m.dbSizeBytes() > spec.getDefragmentAboveBytes();
    }

    private static Plan waiting(MaintenanceStatus status, String why) {
        return new Plan(Optional.empty(), status, Optional.of("defragmentation (" + status.getRound() + ") " + why));
    }

    private static String stamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
