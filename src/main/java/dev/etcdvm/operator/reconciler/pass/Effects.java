package dev.etcdvm.operator.reconciler.pass;

import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a pass's plan reported and its actions did, added up as they run.
 *
 * @param hosts the latest result per machine (a restart supersedes that machine's provisioning result)
 * @param membership what the membership change came to, when one was planned
 * @param retiring the leaving machines still to be stopped, when the retire rule ran
 * @param announcements Events to publish with the status
 * @param paces what each action said about when to look again
 * @param etcdSeen what etcd said after a step changed it (the founders of a new cluster came up)
 * @param backup the snapshot attempt of this pass, when one was due
 * @param maintenance what the maintenance step came to, when it ran
 */
public record Effects(Map<String, HostResult> hosts, Optional<MembershipResult> membership,
        Optional<List<MemberStatus>> retiring, List<Announcement> announcements, Set<Pace> paces,
        Optional<EtcdView> etcdSeen, Optional<BackupAttempt> backup, Optional<MaintenanceResult> maintenance) {

    public static final Effects NONE = new Effects(Map.of(), Optional.empty(), Optional.empty(), List.of(), Set.of(),
            Optional.empty(), Optional.empty());

    public Effects(Map<String, HostResult> hosts, Optional<MembershipResult> membership,
            Optional<List<MemberStatus>> retiring, List<Announcement> announcements, Set<Pace> paces,
            Optional<EtcdView> etcdSeen, Optional<BackupAttempt> backup) {
        this(hosts, membership, retiring, announcements, paces, etcdSeen, backup, Optional.empty());
    }

    public Effects(Map<String, HostResult> hosts, Optional<MembershipResult> membership,
            Optional<List<MemberStatus>> retiring, List<Announcement> announcements, Set<Pace> paces,
            Optional<EtcdView> etcdSeen) {
        this(hosts, membership, retiring, announcements, paces, etcdSeen, Optional.empty());
    }

    public Effects {
        hosts = Map.copyOf(hosts);
        announcements = List.copyOf(announcements);
        paces = paces.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(paces));
    }

    /** Results of actions on machines: a change asks for an early look, a failure for backoff. */
    public static Effects ofHosts(List<HostResult> results) {
        Map<String, HostResult> byMember = new LinkedHashMap<>();
        results.forEach(r -> byMember.put(r.member(), r));
        Set<Pace> paces = EnumSet.noneOf(Pace.class);
        if (results.stream().anyMatch(HostResult::changedAnything)) {
            paces.add(Pace.SOON);
        }
        if (results.stream().anyMatch(r -> r.failure().isPresent())) {
            paces.add(Pace.PROBLEM);
        }
        return new Effects(byMember, Optional.empty(), Optional.empty(), List.of(),
                paces.isEmpty() ? Set.of(Pace.STEADY) : paces, Optional.empty());
    }

    /** Only when to look again, and Events to publish. */
    public static Effects paced(Pace pace, List<Announcement> announcements) {
        return new Effects(Map.of(), Optional.empty(), Optional.empty(), announcements, Set.of(pace), Optional.empty());
    }

    public static Effects ofMembership(MembershipResult result, Pace pace, List<Announcement> announcements) {
        return new Effects(Map.of(), Optional.of(result), Optional.empty(), announcements, Set.of(pace), Optional.empty());
    }

    public static Effects ofRetiring(List<MemberStatus> remaining, List<Announcement> announcements) {
        return new Effects(Map.of(), Optional.empty(), Optional.of(remaining), announcements, Set.of(Pace.STEADY),
                Optional.empty());
    }

    /** etcd as a step saw it after its change took effect. */
    public static Effects ofEtcdSeen(EtcdView etcd) {
        return new Effects(Map.of(), Optional.empty(), Optional.empty(), List.of(), Set.of(Pace.STEADY),
                Optional.of(etcd));
    }

    /** A snapshot attempt; a failure is retried on its own schedule (see BackupDue), not the pass's backoff. */
    public static Effects ofBackup(BackupAttempt attempt) {
        return new Effects(Map.of(), Optional.empty(), Optional.empty(), List.of(), Set.of(Pace.STEADY),
                Optional.empty(), Optional.of(attempt));
    }

    /** What maintenance came to; something done asks for an early look. */
    public static Effects ofMaintenance(MaintenanceResult result, List<Announcement> announcements) {
        Pace pace = result.failed().isPresent() ? Pace.PROBLEM : result.done().isPresent() ? Pace.SOON : Pace.STEADY;
        return new Effects(Map.of(), Optional.empty(), Optional.empty(), announcements, Set.of(pace), Optional.empty(),
                Optional.empty(), Optional.of(result));
    }

    /** These effects, and work under way that waits on the cluster (see {@link Pace#WAITING}). */
    public Effects waiting() {
        Set<Pace> more = EnumSet.of(Pace.WAITING);
        more.addAll(paces);
        return new Effects(hosts, membership, retiring, announcements, more, etcdSeen, backup, maintenance);
    }

    public Effects plus(Effects later) {
        Map<String, HostResult> mergedHosts = new LinkedHashMap<>(hosts);
        mergedHosts.putAll(later.hosts);
        List<Announcement> mergedAnnouncements = new ArrayList<>(announcements);
        mergedAnnouncements.addAll(later.announcements);
        Set<Pace> mergedPaces = EnumSet.noneOf(Pace.class);
        mergedPaces.addAll(paces);
        mergedPaces.addAll(later.paces);
        return new Effects(mergedHosts, later.membership.or(() -> membership), later.retiring.or(() -> retiring),
                mergedAnnouncements, mergedPaces, later.etcdSeen.or(() -> etcdSeen), later.backup.or(() -> backup),
                later.maintenance.or(() -> maintenance));
    }

    public MembershipResult membershipResult() {
        return membership.orElseGet(MembershipResult::settled);
    }

    /** A machine or the membership was changed this pass. */
    public boolean acted() {
        return membershipResult().done().isPresent() || hosts.values().stream().anyMatch(HostResult::changedAnything);
    }
}
