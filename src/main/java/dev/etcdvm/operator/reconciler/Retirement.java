package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.DeletionPolicy;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.reconciler.membership.RetiringMembers;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.status.EventReason;
import dev.etcdvm.operator.reconciler.status.StatusDraft;
import dev.etcdvm.operator.reconciler.steps.HostActions;
import dev.etcdvm.operator.reconciler.steps.HostResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Machines leaving the cluster: listed in status until etcd dropped them and their service is stopped. */
final class Retirement {
    private final HostActions provisioning;

    /**
     * A leaving machine that could not be reached is tried again this often, not on every pass: each try
     * may wait out a connect timeout, and the machine is no longer a member.
     */
    static final Duration RETRY_FAILED = Duration.ofMinutes(1);

    Retirement(HostActions provisioning) {
        this.provisioning = provisioning;
    }

    /**
     * Stops the service of machines etcd no longer lists (they would crash-loop as removed members);
     * with the Wipe policy their data goes too. Entries stay in status until that succeeded.
     */
    List<MemberStatus> run(EtcdVmCluster cluster, ObservedCluster observed, Decision decision, StatusDraft draft) {
        List<MemberStatus> leaving = RetiringMembers.of(cluster, observed.etcd());
        if (decision.mode() != Decision.Mode.CONVERGE) {
            return leaving;
        }
        List<MemberStatus> due = leaving.stream().filter(m -> RetiringMembers.RETIRING.equals(m.getPhase())
                && !failedRecently(m, draft.now())).toList();
        List<HostResult> done = provisioning.retire(cluster, due.stream().map(RetiringMembers::machine).toList(),
                cluster.getSpec().getDeletionPolicy() == DeletionPolicy.Wipe);
        List<MemberStatus> remaining = new ArrayList<>(leaving);
        for (int i = 0; i < due.size(); i++) {
            MemberStatus m = due.get(i);
            HostResult r = done.get(i);
            if (r.failure().isPresent()) {
                m.setLastProbeTime(draft.now().truncatedTo(ChronoUnit.SECONDS).toString());
                m.setMessage("stopping its service failed: " + r.failure().get().message() + "; retried every "
                        + RETRY_FAILED.toMinutes() + " min");
            } else {
                remaining.remove(m);
                draft.announce(EventReason.MemberRetired, "stopped etcd on " + m.getName() + " (" + m.getAddress()
                        + ")" + (cluster.getSpec().getDeletionPolicy() == DeletionPolicy.Wipe ? " and wiped it" : ""));
            }
        }
        return remaining;
    }

    private static boolean failedRecently(MemberStatus m, Instant now) {
        return m.getLastProbeTime() != null && Instant.parse(m.getLastProbeTime()).plus(RETRY_FAILED).isAfter(now);
    }
}
