package dev.etcdvm.operator.reconciler.pass;

import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import java.util.Optional;

/**
 * What the pass's membership change came to.
 *
 * @param done what was changed in etcd, if anything
 * @param reason condition reason while a change waits, was refused or failed
 * @param refused the quorum guard refused a change the spec asks for
 * @param failed etcd refused or could not be reached
 */
public record MembershipResult(Optional<String> done, String reason, String message, boolean refused, boolean failed) {
    private static final String SETTLED = ConditionReason.MembershipSettled.name();

    public static MembershipResult settled() {
        return new MembershipResult(Optional.empty(), SETTLED, "membership matches the spec", false, false);
    }

    public static MembershipResult changed(String what) {
        return new MembershipResult(Optional.of(what), ConditionReason.MembershipChanging.name(), what, false, false);
    }

    public static MembershipResult held(MembershipChange.Hold hold) {
        return new MembershipResult(Optional.empty(), hold.reason(), hold.message(), hold.refused(), false);
    }

    public static MembershipResult failed(String reason, String message) {
        return new MembershipResult(Optional.empty(), reason, message, false, true);
    }

    public boolean waiting() {
        return done.isEmpty() && !refused && !failed && !SETTLED.equals(reason);
    }
}
