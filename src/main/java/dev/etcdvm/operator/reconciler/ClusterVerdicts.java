package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.EtcdUrls;
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
            Decision decision, Map<String, HostResult> results) {
        EtcdVmClusterStatus next = draft.next();
        next.setCertificatesNotAfter(tls.firstExpiry().truncatedTo(ChronoUnit.SECONDS).toString());
        String now = draft.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<MemberStatus> members = MemberVerdicts.all(cluster, observed, results, now);
        next.setMembers(members);
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
        List<String> alarms = observed.etcd().alarms();
        // An active alarm (NOSPACE, CORRUPT) makes etcd refuse writes: not Ready however healthy members look.
        boolean ready = healthy == total && decision.mode() != Decision.Mode.FREEZE && alarms.isEmpty();
        boolean acted = results.values().stream().anyMatch(r -> r.outcome().map(o -> o.changedAnything()).orElse(false));
        List<HostResult> failures = results.values().stream().filter(r -> r.failure().isPresent()).toList();
        boolean formed = next.getClusterId() != null;

        if (decision.mode() == Decision.Mode.FREEZE) {
            draft.condition(ConditionType.Ready, ConditionStatus.of(ready), decision.reason(), decision.message())
                    .condition(ConditionType.Progressing, ConditionStatus.False, decision.reason(), decision.message())
                    .condition(ConditionType.Degraded, ConditionStatus.True, decision.reason(), decision.message())
                    .phase(ClusterPhase.Failed);
        } else if (ready) {
            draft.condition(ConditionType.Ready, ConditionStatus.True, "AllMembersHealthy",
                            "all " + total + " members are healthy")
                    .condition(ConditionType.Progressing, ConditionStatus.of(acted && failures.isEmpty()),
                            failures.isEmpty() ? (acted ? "Provisioning" : "Stable") : notReadyReason(decision, failures),
                            failures.isEmpty() ? (acted ? "machines were brought in line with the spec" : "nothing to do")
                                    : notReadyMessage(members, decision, failures))
                    .condition(ConditionType.Degraded, ConditionStatus.False, "AllMembersHealthy", "no member is unhealthy")
                    .phase(ClusterPhase.Running);
        } else {
            String reason = alarms.isEmpty() ? notReadyReason(decision, failures) : "AlarmActive";
            String message = alarms.isEmpty() ? notReadyMessage(members, decision, failures)
                    : "active etcd alarms: " + String.join(", ", alarms);
            draft.condition(ConditionType.Ready, ConditionStatus.False, reason, message)
                    .condition(ConditionType.Progressing, ConditionStatus.of(failures.isEmpty() && decision.mode() != Decision.Mode.WAIT),
                            reason, message)
                    .condition(ConditionType.Degraded, ConditionStatus.of(formed), formed ? reason : "NotFormed",
                            formed ? message : "the cluster has not formed yet")
                    .phase(formed ? ClusterPhase.Degraded
                            : decision.mode() == Decision.Mode.WAIT || !failures.isEmpty() ? ClusterPhase.Pending
                            : ClusterPhase.Provisioning);
        }
        draft.completedPass();
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
