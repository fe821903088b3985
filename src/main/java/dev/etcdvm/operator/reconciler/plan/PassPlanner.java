package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.pass.Pass;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a pass's facts and decision into its {@link Plan}: the rules in the order their actions run. Pure: nothing
 * here touches a machine, etcd or the API server, so every plan can be checked before anything acts.
 */
public final class PassPlanner {
    /**
     * In order: a recovery (alone), a snapshot first, machines, the membership change, a restart, maintenance,
     * retirees, and (in a pass with nothing else to do) the data identities.
     */
    private static final List<PlanRule> RULES = List.of(new RecoveryRule(), new BackupRule(), new ProvisionRule(),
            new MembershipRule(), new RestartRule(), new MaintenanceRule(), new RetireRule(), new DataIdentityRule());

    private PassPlanner() {
    }

    public static Plan plan(Pass pass) {
        PlanDraft draft = new PlanDraft();
        if (pass.decision().mode().acts()) {
            for (PlanRule rule : RULES) {
                rule.add(pass, draft);
                if (draft.closed()) {
                    break;
                }
            }
        }
        return new Plan(pass.decision().mode(), facts(pass), draft.actions(), draft.planned());
    }

    /** One line of what the plan was made from. */
    static String facts(Pass pass) {
        EtcdView etcd = pass.observed().etcd();
        Decision decision = pass.decision();
        String members = etcd.members().stream().map(m -> m.name() + (m.leader() ? "*" : "") + (m.learner() ? "(learner)"
                : "") + (m.healthy() ? "" : "(unhealthy)")).collect(Collectors.joining(" "));
        long reachable = pass.observed().hosts().stream().filter(h -> h.facts().isPresent()).count();
        return "spec " + pass.cluster().getSpec().getMembers().size() + " members, version "
                + pass.cluster().getSpec().getVersion() + "; etcd " + etcd.clusterId().orElse("unknown") + " ["
                + (etcd.available() ? members : "unavailable") + "]; machines " + reachable + "/"
                + pass.observed().hosts().size() + " reachable; decided: " + decision.reason()
                + (decision.mode().acts() ? "" : " (" + decision.message() + ")")
                + (etcd.members().stream().anyMatch(EtcdMemberView::learner) ? "; a learner is catching up" : "");
    }
}
