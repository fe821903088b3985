package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.observe.HostFailure;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.status.ConditionStatus;
import dev.etcdvm.operator.reconciler.status.ConditionType;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Translates facts (violations, observations) into conditions, phase and member entries. */
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

    static void hosts(StatusDraft draft, EtcdVmCluster cluster, ObservedCluster observed) {
        List<HostObservation> unreachable = observed.unreachable();
        if (unreachable.isEmpty()) {
            draft.condition(ConditionType.HostsReachable, ConditionStatus.True, "AllReachable",
                    "all " + observed.hosts().size() + " machines accepted an SSH login with a verified host key");
        } else {
            HostObservation first = unreachable.get(0);
            draft.condition(ConditionType.HostsReachable, ConditionStatus.False, first.failure().get().reason(),
                    unreachable.stream().map(h -> h.member() + " (" + h.address() + "): " + h.failure().get().message())
                            .collect(Collectors.joining("; ")));
        }
        draft.next().setMembers(memberEntries(draft, observed));
        int total = cluster.getSpec().getMembers().size();
        draft.next().setReadyMembers("0/" + total);
        // Provisioning arrives with the bootstrap work; until then a valid cluster waits in Pending.
        draft.condition(ConditionType.Ready, ConditionStatus.False, "NotProvisioned", "etcd is not provisioned yet")
                .condition(ConditionType.Progressing, ConditionStatus.False, "NotProvisioned", "no action taken")
                .condition(ConditionType.Degraded, ConditionStatus.False, "NotProvisioned", "no members yet")
                .phase(ClusterPhase.Pending)
                .completedPass();
    }

    private static List<MemberStatus> memberEntries(StatusDraft draft, ObservedCluster observed) {
        List<MemberStatus> entries = new ArrayList<>();
        for (HostObservation host : observed.hosts()) {
            MemberStatus entry = draft.previous().getMembers().stream()
                    .filter(m -> host.member().equals(m.getName())).findFirst()
                    .map(Serialization::clone)
                    .orElseGet(MemberStatus::new);
            entry.setName(host.member());
            entry.setAddress(host.address());
            entry.setHostKeyFingerprint(host.hostKeyFingerprint());
            entry.setPhase(host.isReachable() ? "Pending" : "Unreachable");
            entry.setMessage(host.failure().map(HostFailure::message).orElse(null));
            entries.add(entry);
        }
        return entries;
    }
}
