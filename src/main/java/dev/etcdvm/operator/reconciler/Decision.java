package dev.etcdvm.operator.reconciler;

import java.util.List;

/**
 * What this pass will do.
 *
 * @param initialState "new" while forming the cluster, "existing" once it exists
 * @param provision members whose machines get provisioned (all in parallel)
 * @param reason a condition reason explaining a FREEZE or WAIT
 */
public record Decision(Mode mode, String initialState, List<String> provision, String reason, String message) {
    public enum Mode {
        /** Something unsafe was seen (another cluster's id, foreign data): change nothing anywhere. */
        FREEZE,
        /** Not every machine is ready to form a new cluster; form it all at once or not at all. */
        WAIT,
        /** Form a new cluster: every member starts with initial-cluster-state=new. */
        BOOTSTRAP,
        /** The cluster exists: keep every member's machine in shape, restart at most one member. */
        CONVERGE
    }

    static Decision freeze(String reason, String message) {
        return new Decision(Mode.FREEZE, "existing", List.of(), reason, message);
    }

    static Decision waitFor(String reason, String message) {
        return new Decision(Mode.WAIT, "new", List.of(), reason, message);
    }
}
