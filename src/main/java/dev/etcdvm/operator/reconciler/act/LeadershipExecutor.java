package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.etcdapi.MembershipActions;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands leadership to the planned follower; the leader's own restart comes in a later pass. */
public final class LeadershipExecutor implements Executor<Action.HandOverLeadership> {
    private static final Logger LOG = LoggerFactory.getLogger(LeadershipExecutor.class);
    private final MembershipActions membership;

    public LeadershipExecutor(MembershipActions membership) {
        this.membership = membership;
    }

    @Override
    public Class<Action.HandOverLeadership> handles() {
        return Action.HandOverLeadership.class;
    }

    @Override
    public Report execute(Action.HandOverLeadership action, Target target) {
        try {
            String done = membership.apply(target.cluster(), target.tls(), action.move()) + " before restarting it";
            LOG.info("{}", done);
            return new Report(new Outcome.Done(done), Effects.paced(Pace.SOON,
                    List.of(new Announcement(EventReason.LeadershipMoved, done))));
        } catch (FailureException e) {
            LOG.warn("{}", e.failure().message());
            return new Report(new Outcome.Failed(e.failure()), Effects.paced(Pace.PROBLEM, List.of()));
        }
    }
}
