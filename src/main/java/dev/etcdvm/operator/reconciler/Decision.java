package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.membership.MembershipChange;
import java.util.Map;

/**
 * What this pass will do.
 *
 * @param provision the machines to provision (all in parallel), each planned in its role
 * @param change the one membership change of this pass
 * @param reason a condition reason explaining a FREEZE, WAIT or PAUSED
 */
public record Decision(Mode mode, Map<String, MemberPlan> provision, MembershipChange change, String reason,
        String message) {
    public enum Mode {
        /** Something unsafe was seen (another cluster's id, foreign data): change nothing anywhere. */
        FREEZE,
        /** The user paused the cluster: observe and report, change nothing. */
        PAUSED,
        /** Not every machine is ready to form a new cluster; form it all at once or not at all. */
        WAIT,
        /** Form a new cluster: every member starts with initial-cluster-state=new. */
        BOOTSTRAP,
        /** The cluster exists: keep machines in shape, make at most one membership change, restart at most one member. */
        CONVERGE
    }

    static Decision freeze(String reason, String message) {
        return new Decision(Mode.FREEZE, Map.of(), new MembershipChange.None(), reason, message);
    }

    static Decision paused(String message) {
        return new Decision(Mode.PAUSED, Map.of(), new MembershipChange.None(), "Paused", message);
    }

    static Decision waitFor(String reason, String message) {
        return new Decision(Mode.WAIT, Map.of(), new MembershipChange.None(), reason, message);
    }
}
