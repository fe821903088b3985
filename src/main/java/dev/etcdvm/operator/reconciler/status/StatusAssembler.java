package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.CertificatesStatus;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.api.v1alpha1.SnapshotRecord;
import dev.etcdvm.operator.reconciler.decide.ClientEndpoints;
import dev.etcdvm.operator.reconciler.decide.ClusterVersion;
import dev.etcdvm.operator.reconciler.decide.DataLoss;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.QuorumRecovery;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.tls.CaRotation;
import dev.etcdvm.operator.reconciler.tls.ClusterCertificates;
import dev.etcdvm.operator.reconciler.validation.EtcdVersion;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Fills a pass's status draft: the observed fields, then each condition from its checker, then the phase. */
public final class StatusAssembler {
    /** How long a member may fail health reads during a rollout before it counts as sick. */
    static final Duration ROLLOUT_HICCUP = Duration.ofSeconds(10);

    private StatusAssembler() {
    }

    /** A spec that cannot be acted on: only what validation found. */
    public static ClusterFacts specInvalid(StatusDraft draft, List<SpecViolation> violations) {
        ClusterFacts facts = ClusterFacts.invalid(violations);
        return verdicts(draft, facts);
    }

    /** The pass reached a verdict: status carries everything observed and done. */
    public static ClusterFacts passed(StatusDraft draft, Pass pass) {
        EtcdVmCluster cluster = pass.cluster();
        EtcdVmClusterStatus next = draft.next();
        next.setCertificatesNotAfter(rfc3339(pass.tls().firstExpiry()));
        next.setCertificates(certificates(pass.tls().rotation()));
        String now = draft.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<MemberStatus> members = MemberEntries.all(cluster, pass.observed(), pass.effects().hosts(), now,
                pass.decision().acceptedDataLoss().isPresent());
        next.setMembers(members);
        next.setRetiringMembers(pass.effects().retiring().orElse(pass.leaving()));
        // A frozen pass keeps the recorded id: recording what etcd answers would lift a cluster-id freeze by itself.
        if (next.getClusterId() == null || !pass.decision().mode().equals(Decision.Mode.FREEZE)) {
            pass.observed().etcd().clusterId().ifPresent(next::setClusterId);
        }
        recordRestore(pass, draft, next);
        pass.observed().etcd().clusterVersion().ifPresent(next::setClusterVersion);
        recordHighWater(pass, next);
        QuorumLossRecord.record(pass.decision(), pass.observed(), draft);
        pass.effects().maintenance().ifPresent(m -> next.setMaintenance(m.next()));
        long healthy = members.stream().filter(m -> Boolean.TRUE.equals(m.getHealthy()) && !Boolean.TRUE.equals(m.getLearner())).count();
        int total = cluster.getSpec().getMembers().size();
        next.setReadyMembers(healthy + "/" + total);
        next.setLeader(members.stream().filter(m -> Boolean.TRUE.equals(m.getLeader())).map(MemberStatus::getName)
                .findFirst().orElse(null));
        next.setVersion(members.stream().map(MemberStatus::getVersion).filter(Objects::nonNull)
                .map(EtcdVersion::tryParse).flatMap(Optional::stream).min(EtcdVersion::compareTo)
                .map(EtcdVersion::toString).orElse(next.getVersion()));
        next.setEndpoints(ClientEndpoints.of(cluster, pass.observed()));
        next.setClientSecretName(ClusterCertificates.clientSecretName(cluster));
        pass.effects().announcements().forEach(a -> draft.announce(a.reason(), a.message()));
        announceDecision(draft, pass.decision());
        if (cluster.getSpec().getBackup() == null) {
            next.setBackup(null);
            draft.dropCondition(ConditionType.BackupHealthy);
        } else {
            next.setBackup(BackupLedger.next(cluster.getSpec().getBackup(), draft.previous().getBackup(),
                    pass.effects().backup(), draft.now(), draft));
        }
        if (QuorumLossRecord.possibleLoss(next).isEmpty()) {
            draft.dropCondition(ConditionType.DataLossPossible);
        }
        return verdicts(draft, facts(pass, members, healthy, next.getClusterId() != null, next));
    }

    private static Optional<BackupFacts> backup(Pass pass, EtcdVmClusterStatus next) {
        return Optional.ofNullable(next.getBackup()).map(b -> new BackupFacts(b, pass.now(),
                pass.decision().mode().acts() ? Optional.empty() : Optional.of(pass.decision().reason())));
    }

    /** While forming from a snapshot, which one; once the cluster answers with its new id, an Event says so. */
    private static void recordRestore(Pass pass, StatusDraft draft, EtcdVmClusterStatus next) {
        if (draft.previous().getClusterId() != null) {
            return;
        }
        pass.decision().provision().values().stream().flatMap(p -> p.restore().stream()).findFirst().ifPresent(r -> {
            SnapshotRecord record = new SnapshotRecord();
            record.setKey(r.key());
            record.setSha256(r.sha256());
            record.setRevision(r.revision());
            next.setRestoredFrom(record);
        });
        if (next.getClusterId() != null && next.getRestoredFrom() != null) {
            draft.announce(EventReason.RestoredFromSnapshot, "formed from snapshot " + next.getRestoredFrom().getKey()
                    + " (revision " + next.getRestoredFrom().getRevision() + "): new cluster id " + next.getClusterId());
        }
    }

    private static CertificatesStatus certificates(CaRotation rotation) {
        CertificatesStatus status = new CertificatesStatus();
        status.setCaNotAfter(rfc3339(rotation.caNotAfter()));
        status.setPreviousCaNotAfter(rotation.previousCaNotAfter().map(StatusAssembler::rfc3339).orElse(null));
        status.setLeafNotAfter(rfc3339(rotation.leafNotAfter()));
        status.setRotation(rotation.phase().name());
        return status;
    }

    private static String rfc3339(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A freeze is announced when it starts (or its reason changes), an accepted loss when it is acted on. */
    private static void announceDecision(StatusDraft draft, Decision decision) {
        boolean newFreeze = decision.mode() == Decision.Mode.FREEZE && !Conditions.find(draft.previous().getConditions(),
                ConditionType.Ready).map(c -> decision.reason().equals(c.getReason())).orElse(false);
        if (newFreeze) {
            draft.announce(EventReason.ChangesFrozen, decision.message());
        }
        decision.acceptedDataLoss().ifPresent(v -> draft.announce(EventReason.DataLossAccepted,
                "data loss accepted (" + EtcdVmCluster.ACCEPT_DATA_LOSS_ANNOTATION + "=" + v
                        + "): going on with what is left"));
    }

    /**
     * Raises the recorded raft index and store revision to what the leader reports. A loss the user accepted starts
     * the record again from what is left (or, when nothing answers, from the cluster forming again).
     */
    private static void recordHighWater(Pass pass, EtcdVmClusterStatus next) {
        Optional<Long> leader = DataLoss.leaderIndex(pass.observed());
        if (pass.decision().acceptedDataLoss().isPresent()) {
            next.setAcceptedDataLoss(pass.decision().acceptedDataLoss().get());
            next.setHighestRaftIndex(leader.orElse(null));
            next.setHighestRevision(QuorumRecovery.leaderRevision(pass.observed()).orElse(null));
            if (!pass.observed().etcd().available()) {
                next.setClusterId(null);
            }
            return;
        }
        leader.filter(i -> next.getHighestRaftIndex() == null || i > next.getHighestRaftIndex())
                .ifPresent(next::setHighestRaftIndex);
        QuorumRecovery.leaderRevision(pass.observed())
                .filter(r -> next.getHighestRevision() == null || r > next.getHighestRevision())
                .ifPresent(next::setHighestRevision);
    }

    private static ClusterFacts verdicts(StatusDraft draft, ClusterFacts facts) {
        for (ConditionCheck check : ConditionCheck.all()) {
            check.check(facts).ifPresent(v -> draft.condition(check.type(), v.status(), v.reason(), v.message()));
        }
        draft.phase(PhaseRule.of(facts)).completedPass();
        return facts;
    }

    static ClusterFacts facts(Pass pass, List<MemberStatus> members, long healthyVoters, boolean formed,
            EtcdVmClusterStatus next) {
        MemberMatch match = pass.match();
        EtcdView etcd = pass.observed().etcd();
        Rollout rollout = withBriefHiccups(rollout(pass, members), members, pass.now());
        List<String> sickNames = match.paired().stream()
                .filter(p -> p.etcd().map(e -> !e.learner() && !e.healthy()).orElse(false))
                .map(p -> p.spec().getName())
                .filter(name -> members.stream().noneMatch(m -> m.getName().equals(name) && restartPlanned(m)))
                .filter(name -> !rollout.restarting().contains(name))
                .toList();
        List<String> sickVoters = members.stream().filter(m -> sickNames.contains(m.getName()))
                .map(m -> m.getName() + " (" + m.getPhase() + (m.getMessage() == null ? "" : ": " + m.getMessage()) + ")")
                .toList();
        List<String> notHealthy = members.stream().filter(m -> !Boolean.TRUE.equals(m.getHealthy()))
                .map(m -> m.getName() + " (" + m.getPhase() + ")").toList();
        List<Failure> failures = pass.effects().hosts().values().stream().map(HostResult::failure)
                .flatMap(Optional::stream).toList();
        Decision decision = pass.decision();
        return new ClusterFacts(decision.refusedChanges(), decision.mode(), decision.reason(), decision.message(),
                pass.cluster().getSpec().getMembers().size(), healthyVoters, formed, match.settled(),
                etcd.alarmProblems(), etcd.alarmsKnown() ? ConditionReason.AlarmActive.name() : ConditionReason.AlarmStateUnknown.name(), sickVoters,
                etcd.error(), pass.effects().membershipResult(), pass.effects().acted(), failures,
                pass.observed().unreachable(), pass.observed().hosts().size(), notHealthy, rollout,
                pass.tls().rotation().renewalProblem(), backup(pass, next), QuorumLossRecord.possibleLoss(next),
                pass.effects().maintenance(), unmarkedVoters(members));
    }

    /** Healthy voters whose data carries no recorded identity yet (marked in the next quiet pass). */
    private static List<String> unmarkedVoters(List<MemberStatus> members) {
        return members.stream().filter(m -> Boolean.TRUE.equals(m.getHealthy()) && !Boolean.TRUE.equals(m.getLearner())
                && m.getDataId() == null).map(MemberStatus::getName).toList();
    }

    /**
     * A rollout is under way while a member waits for its planned restart, was restarted this pass (a
     * start of a member etcd found serving), or is coming back from one.
     */
    private static Rollout rollout(Pass pass, List<MemberStatus> members) {
        List<String> restarting = members.stream().filter(m -> MemberEntries.RESTARTING.equals(m.getPhase()))
                .map(MemberStatus::getName).toList();
        List<String> stalled = members.stream().filter(m -> MemberEntries.RESTART_STALLED.equals(m.getPhase()))
                .map(m -> m.getName() + " (" + m.getMessage() + ")").toList();
        boolean due = !pass.restartsPending().isEmpty() || pass.effects().announcements().stream().anyMatch(a -> a.reason() == EventReason.MemberRestarted);
        boolean rotating = pass.tls().rotation().underWay();
        boolean clusterVersionBehind = ClusterVersion.behind(pass.cluster(), pass.observed().etcd());
        if (pass.decision().mode() != Decision.Mode.CONVERGE || restarting.isEmpty() && stalled.isEmpty() && !due
                && !rotating && !clusterVersionBehind) {
            return Rollout.NONE;
        }
        String version = pass.cluster().getSpec().getVersion();
        boolean upgrading = clusterVersionBehind || !version.equals(Optional.ofNullable(pass.cluster().getStatus())
                .map(EtcdVmClusterStatus::getVersion).orElse(version)) || pass.observed().etcd().members().stream()
                .anyMatch(m -> m.version() != null && !m.version().equals(version));
        return new Rollout(Optional.of(upgrading ? ConditionReason.Upgrading.name() : rotating ? Rollout.ROTATING
                : ConditionReason.Updating.name()), restarting,
                stalled);
    }

    /**
     * While a rollout is on track, a member that failed its health read for a moment (a restart next to it,
     * leadership moving) counts as coming back rather than sick; one unhealthy for longer is sick as ever.
     */
    private static Rollout withBriefHiccups(Rollout rollout, List<MemberStatus> members, Instant now) {
        if (!rollout.underWay() || rollout.halted()) {
            return rollout;
        }
        List<String> brief = members.stream().filter(m -> "Unhealthy".equals(m.getPhase()) && m.getUnhealthySince() != null
                && Duration.between(Instant.parse(m.getUnhealthySince()), now).compareTo(ROLLOUT_HICCUP) < 0)
                .map(MemberStatus::getName).filter(n -> !rollout.restarting().contains(n)).toList();
        if (brief.isEmpty()) {
            return rollout;
        }
        List<String> restarting = new ArrayList<>(rollout.restarting());
        restarting.addAll(brief);
        return new Rollout(rollout.phase(), restarting, rollout.stalled());
    }

    private static boolean restartPlanned(MemberStatus member) {
        return MemberEntries.RESTARTING.equals(member.getPhase()) || MemberEntries.RESTART_STALLED.equals(member.getPhase());
    }
}
