package dev.etcdvm.operator.reconciler.plan;

import java.util.List;
import java.util.Optional;

/**
 * A fact an action relies on that may stop holding between planning and acting. {@link OnMachine} is proven on the
 * machine by the very script that acts; the others are checked by the plan runner right before the action, against
 * what earlier actions of the same pass did.
 */
public sealed interface Precondition {
    /** One line, as printed with the plan. */
    String line();

    /** The machine carries this cluster's marker and, when one is named, holds that member's data. */
    record OnMachine(String member, String clusterUid, Optional<String> memberId) implements Precondition {
        public String line() {
            return "on " + member + ": marker " + clusterUid + memberId.map(id -> ", member " + id).orElse("");
        }
    }

    /** A snapshot taken for this change is stored (backups are configured). */
    record SnapshotStored(String change) implements Precondition {
        public String line() {
            return "snapshot before " + change;
        }
    }

    /** The spec is still the one the plan was made from. */
    record SpecUnchanged() implements Precondition {
        public String line() {
            return "spec unchanged";
        }
    }

    /** Every founder runs: started earlier in this pass, or found running by the probe. */
    record FoundersStarted(List<String> founders) implements Precondition {
        public FoundersStarted {
            founders = List.copyOf(founders);
        }

        public String line() {
            return String.join(", ", founders) + " running";
        }
    }

    /** These machines were stopped earlier in this pass. */
    record Stopped(List<String> members) implements Precondition {
        public Stopped {
            members = List.copyOf(members);
        }

        public String line() {
            return "stopped " + String.join(", ", members);
        }
    }
}
