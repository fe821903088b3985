package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.ShortId;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.Pass;
import java.util.Optional;

/**
 * Gives each healthy voter's data an identity, written into its data dir, so that data emptied or replaced under the
 * same member id is told apart from the member's own (member and cluster ids are derived from the spec, and an idle
 * cluster formed again soon reaches the raft index the old one was last seen at). Only in a pass with nothing else
 * to do, only where the machine holds none and status records none for this member: a recorded identity the machine
 * lacks is a loss (see DataLoss), never something to write again.
 */
final class DataIdentityRule implements PlanRule {

    @Override
    public void add(Pass pass, PlanDraft plan) {
        if (pass.decision().mode() != Decision.Mode.CONVERGE || !plan.actions().isEmpty()) {
            return;
        }
        for (MemberMatch.Paired paired : pass.match().paired()) {
            Optional<EtcdMemberView> voter = paired.etcd().filter(e -> e.healthy() && !e.learner());
            String name = paired.spec().getName();
            Optional<HostFacts> facts = pass.observed().host(name).flatMap(HostObservation::facts);
            MemberPlan memberPlan = pass.decision().provision().get(name);
            if (voter.isEmpty() || facts.isEmpty() || memberPlan == null || !unmarked(facts.get(), voter.get())
                    || recorded(pass, name, voter.get().id())) {
                continue;
            }
            String id = voter.get().id();
            plan.add(new Action.MarkData(memberPlan, id, ShortId.ofData(memberPlan.clusterUid(), id, pass.now())));
        }
    }

    /** The machine records this member and holds its data, and no identity is written there yet. */
    private static boolean unmarked(HostFacts facts, EtcdMemberView voter) {
        return facts.hasMemberData() && facts.memberId().filter(voter.id()::equals).isPresent()
                && facts.dataId().isEmpty();
    }

    private static boolean recorded(Pass pass, String name, String memberId) {
        return pass.cluster().getStatus() != null && pass.cluster().getStatus().getMembers().stream()
                .anyMatch(m -> name.equals(m.getName()) && memberId.equals(m.getId()) && m.getDataId() != null);
    }
}
