package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.reconciler.membership.MemberMatch;
import dev.etcdvm.operator.reconciler.membership.MembershipResult;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.status.ConditionStatus;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.steps.HostResult;
import dev.etcdvm.operator.reconciler.tls.ClusterCertificates;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Translates facts (violations, observations, results) into conditions, phase and member entries. */
final class ClusterVerdicts {
    private ClusterVerdicts() {
    }

    static void specInvalid(StatusDraft draft, List<SpecViolation> violations) {
        String message = violations.stream().map(SpecViolation::toString).collect(Collectors.joining("; "));
        draft.condition(ConditionType.SpecValid, ConditionStatus.False, "InvalidSpec", message)
                .condition(ConditionType.Ready, ConditionStatus.False, "InvalidSpec", "the spec is invalid; nothing was changed")
                .condition(ConditionType.Progressing, ConditionStatus.False, "InvalidSpec", "waiting for a valid spec")
                .phase(ClusterPhase.Failed)
                .completedPass();
    }

    static void specValid(StatusDraft draft) {
        draft.condition(ConditionType.SpecValid, ConditionStatus.True, "Valid", "the spec is valid");
    }

    /** The pass reached a verdict: status carries everything observed and done. */
    static void observed(StatusDraft draft, EtcdVmCluster cluster, ClusterTls tls, ObservedCluster observed,
            Decision decision, Map<String, HostResult> results, MembershipResult membership, List<MemberStatus> retiring) {
        EtcdVmClusterStatus next = draft.next();
        next.setCertificatesNotAfter(tls.firstExpiry().truncatedTo(ChronoUnit.SECONDS).toString());
        String now = draft.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<MemberStatus> members = MemberVerdicts.all(cluster, observed, results, now);
        next.setMembers(members);
        next.setRetiringMembers(retiring);
        observed.etcd().clusterId().ifPresent(next::setClusterId);
        long healthy = members.stream().filter(m -> Boolean.TRUE.equals(m.getHealthy()) && !Boolean.TRUE.equals(m.getLearner())).count();
        int total = cluster.getSpec().getMembers().size();
        next.setReadyMembers(healthy + "/" + total);
        next.setLeader(members.stream().filter(m -> Boolean.TRUE.equals(m.getLeader())).map(MemberStatus::getName)
                .findFirst().orElse(null));
        next.setVersion(members.stream().map(MemberStatus::getVersion).filter(Objects::nonNull)
                .map(EtcdVersion::tryParse).flatMap(java.util.Optional::stream).min(EtcdVersion::compareTo)
                .map(EtcdVersion::toString).orElse(next.getVersion()));
        int port = cluster.getSpec().getEtcd().getClientPort();
        next.setEndpoints(cluster.getSpec().getMembers().stream().map(m -> EtcdUrls.clientUrl(m.getAddress(), port)).toList());
        next.setClientSecretName(ClusterCertificates.clientSecretName(cluster));
        hostsCondition(draft, observed);

        boolean formed = next.getClusterId() != null;
        MemberMatch match = MemberMatch.of(cluster, observed.etcd());
        // Ready means the membership is the spec's: no learner still joining, no member still leaving.
        boolean settled = match.extras().isEmpty()
                && match.paired().stream().allMatch(p -> p.etcd().map(e -> !e.learner()).orElse(false));
        List<String> alarms = observed.etcd().alarms();
        List<String> sickVoters = match.paired().stream()
                .filter(p -> p.etcd().map(e -> !e.learner() && !e.healthy()).orElse(false))
                .map(p -> p.spec().getName()).toList();
        boolean ready = healthy == total && settled && alarms.isEmpty() && decision.mode() != Decision.Mode.FREEZE;
        boolean degraded = formed && (!sickVoters.isEmpty() || !alarms.isEmpty() || !observed.etcd().available());
        boolean acted = membership.done().isPresent()
                || results.values().stream().anyMatch(r -> r.outcome().map(o -> o.changedAnything()).orElse(false));
        List<HostResult> failures = results.values().stream().filter(r -> r.failure().isPresent()).toList();

        if (decision.mode() == Decision.Mode.FREEZE) {
            draft.condition(ConditionType.Ready, ConditionStatus.of(ready), decision.reason(), decision.message())
                    .condition(ConditionType.Progressing, ConditionStatus.False, decision.reason(), decision.message())
                    .condition(ConditionType.Degraded, ConditionStatus.True, decision.reason(), decision.message())
                    .phase(ClusterPhase.Failed);
            draft.completedPass();
            return;
        }
        boolean etcdSilent = formed && !observed.etcd().available()
                && failures.isEmpty() && decision.mode() != Decision.Mode.WAIT;
        String problemReason = !alarms.isEmpty() ? "AlarmActive" : !sickVoters.isEmpty() ? "MembersUnhealthy"
                : etcdSilent ? "EtcdUnavailable" : notReadyReason(decision, failures);
        String problem = !alarms.isEmpty() ? "active etcd alarms: " + String.join(", ", alarms)
                : !sickVoters.isEmpty() ? "voting members not healthy: " + memberProblems(members, sickVoters)
                : etcdSilent ? observed.etcd().error().orElse("etcd does not answer")
                : notReadyMessage(members, decision, failures);
        if (ready) {
            draft.condition(ConditionType.Ready, ConditionStatus.True, "AllMembersHealthy", "all " + total + " members are healthy");
        } else if (!settled && formed && alarms.isEmpty() && sickVoters.isEmpty() && failures.isEmpty()) {
            draft.condition(ConditionType.Ready, ConditionStatus.False, membership.reason(), membership.message());
        } else {
            draft.condition(ConditionType.Ready, ConditionStatus.False, problemReason, problem);
        }
        draft.condition(ConditionType.Degraded, ConditionStatus.of(degraded),
                degraded ? problemReason : formed ? "VotersHealthy" : "NotFormed",
                degraded ? problem : formed ? "every voting member is healthy" : "the cluster has not formed yet");
        progressing(draft, decision, membership, acted, failures, settled, ready);
        ClusterPhase phase = ready ? ClusterPhase.Running
                : degraded ? ClusterPhase.Degraded
                : formed && !settled ? ClusterPhase.Reconfiguring
                : formed ? ClusterPhase.Degraded
                : decision.mode() == Decision.Mode.WAIT || !failures.isEmpty() ? ClusterPhase.Pending
                : ClusterPhase.Provisioning;
        draft.phase(phase).completedPass();
    }

    private static void progressing(StatusDraft draft, Decision decision, MembershipResult membership, boolean acted,
            List<HostResult> failures, boolean settled, boolean ready) {
        if (decision.mode() == Decision.Mode.PAUSED) {
            draft.condition(ConditionType.Progressing, ConditionStatus.False, "Paused", decision.message());
        } else if (membership.refused() || membership.failed()) {
            draft.condition(ConditionType.Progressing, ConditionStatus.False, membership.reason(), membership.message());
        } else if (!failures.isEmpty() || decision.mode() == Decision.Mode.WAIT) {
            draft.condition(ConditionType.Progressing, ConditionStatus.False, notReadyReason(decision, failures),
                    notReadyMessage(List.of(), decision, failures));
        } else if (membership.done().isPresent() || (membership.waiting() && !settled)) {
            draft.condition(ConditionType.Progressing, ConditionStatus.True, membership.reason(), membership.message());
        } else if (acted || !ready) {
            draft.condition(ConditionType.Progressing, ConditionStatus.of(acted), acted ? "Provisioning" : "Waiting",
                    acted ? "machines were brought in line with the spec" : "waiting for members to become healthy");
        } else {
            draft.condition(ConditionType.Progressing, ConditionStatus.False, "Stable", "nothing to do");
        }
    }

    private static String memberProblems(List<MemberStatus> members, List<String> names) {
        return members.stream().filter(m -> names.contains(m.getName()))
                .map(m -> m.getName() + " (" + m.getPhase() + (m.getMessage() == null ? "" : ": " + m.getMessage()) + ")")
                .collect(Collectors.joining(", "));
    }

    private static void hostsCondition(StatusDraft draft, ObservedCluster observed) {
        List<HostObservation> unreachable = observed.unreachable();
        if (unreachable.isEmpty()) {
            draft.condition(ConditionType.HostsReachable, ConditionStatus.True, "AllReachable",
                    "all " + observed.hosts().size() + " machines accepted an SSH login with a verified host key");
        } else {
            draft.condition(ConditionType.HostsReachable, ConditionStatus.False,
                    unreachable.get(0).failure().get().reason(),
                    unreachable.stream().map(h -> h.member() + " (" + h.address() + "): " + h.failure().get().message())
                            .collect(Collectors.joining("; ")));
        }
    }

    private static String notReadyReason(Decision decision, List<HostResult> failures) {
        if (!failures.isEmpty()) {
            return failures.get(0).failure().get().reason();
        }
        return decision.mode() == Decision.Mode.WAIT ? decision.reason() : "MembersNotHealthy";
    }

    private static String notReadyMessage(List<MemberStatus> members, Decision decision, List<HostResult> failures) {
        if (!failures.isEmpty()) {
            return failures.stream().map(f -> f.member() + ": " + f.failure().get().message())
                    .collect(Collectors.joining("; "));
        }
        if (decision.mode() == Decision.Mode.WAIT) {
            return decision.message();
        }
        return "not healthy: " + members.stream().filter(m -> !Boolean.TRUE.equals(m.getHealthy()))
                .map(m -> m.getName() + " (" + m.getPhase() + ")").collect(Collectors.joining(", "));
    }
}
