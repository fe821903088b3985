package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.etcdapi.MembershipActions;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.FailureException;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import dev.etcdvm.operator.reconciler.plan.Unmet;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.reason.Reason;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes the pass's one membership change in etcd. The next pass re-reads the member list before another. */
public final class MembershipExecutor implements Executor<Action.ChangeMembership> {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipExecutor.class);
    private final MembershipActions membership;
    private final Failpoints failpoints;

    public MembershipExecutor(MembershipActions membership, Failpoints failpoints) {
        this.membership = membership;
        this.failpoints = failpoints;
    }

    @Override
    public Class<Action.ChangeMembership> handles() {
        return Action.ChangeMembership.class;
    }

    @Override
    public Report execute(Action.ChangeMembership action, Target target) {
        MembershipChange change = action.change();
        String done;
        try {
            done = membership.apply(target.cluster(), target.tls(), change);
        } catch (FailureException e) {
            Failure failure = e.failure();
            if (failure.reason() == FailureReason.EtcdNotReadyForChange) {
                LOG.info("{}", failure.message());
                return held(FailureReason.EtcdNotReadyForChange, failure.message(), action.whileHeld());
            }
            LOG.warn("{}", failure.message());
            return new Report(new Outcome.Failed(failure), Effects.ofMembership(
                    MembershipResult.failed(failure.conditionReason(), failure.message()), Pace.PROBLEM,
                    List.of(new Announcement(EventReason.MembershipChangeFailed, failure.message()))));
        }
        LOG.info("{}", done);
        failpoints.reached(failpointAfter(change));
        String told = action.destructive() ? done + " (" + action.line() + ")" : done;
        return new Report(new Outcome.Done(done), Effects.ofMembership(MembershipResult.changed(done), Pace.SOON,
                List.of(new Announcement(EventReason.MembershipChanged, told))));
    }

    /** Held back: a removal waiting for its snapshot is looked at when the backup may retry, not sooner. */
    @Override
    public Report notNow(Action.ChangeMembership action, Unmet unmet) {
        String message = unmet.reason() == ConditionReason.WaitingForSnapshot ? unmet.message()
                : unmet.message() + " before " + action.describe();
        return held(unmet.reason(), message,
                unmet.reason() == ConditionReason.WaitingForSnapshot ? Pace.STEADY : action.whileHeld());
    }

    private static Report held(Reason reason, String message, Pace pace) {
        return new Report(new Outcome.Waiting(reason, message), Effects.ofMembership(MembershipResult.held(
                new MembershipChange.Hold(reason.name(), message, false)), pace, List.of()));
    }

    private static Failpoints.Point failpointAfter(MembershipChange change) {
        if (change instanceof MembershipChange.AddLearner) {
            return Failpoints.Point.AFTER_MEMBER_ADD;
        }
        if (change instanceof MembershipChange.Promote) {
            return Failpoints.Point.AFTER_PROMOTE;
        }
        return change instanceof MembershipChange.Remove ? Failpoints.Point.AFTER_MEMBER_REMOVE : null;
    }
}
