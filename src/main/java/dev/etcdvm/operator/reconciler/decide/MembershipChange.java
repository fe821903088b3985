package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;

/** The one membership change a pass makes, or why it makes none. */
public sealed interface MembershipChange {
    /** Short description for logs and status. */
    String describe();

    /** Adds the member's machine to etcd as a non-voting learner. */
    record AddLearner(MemberSpec member, String peerUrl) implements MembershipChange {
        public String describe() {
            return "adding " + member.getName() + " (" + peerUrl + ") as a learner";
        }
    }

    /** Makes a caught-up learner a voting member. */
    record Promote(String name, String id) implements MembershipChange {
        public String describe() {
            return "promoting learner " + name + " (" + id + ")";
        }
    }

    /** Hands leadership away from a member about to be removed, so its removal costs no election. */
    record MoveLeader(String fromName, String toName, String toId) implements MembershipChange {
        public String describe() {
            return "moving leadership from " + fromName + " to " + toName;
        }
    }

    /** Removes a member from etcd; its machine is stopped afterwards. */
    record Remove(String name, String id, String why) implements MembershipChange {
        public String describe() {
            return "removing " + name + " (" + id + "): " + why;
        }
    }

    /**
     * Nothing may change now. {@code refused} marks a change the spec asks for that the quorum guard
     * will not make, as opposed to one that only has to wait (a learner catching up, a host starting).
     */
    record Hold(String reason, String message, boolean refused) implements MembershipChange {
        public String describe() {
            return message;
        }
    }

    /** The membership matches the spec. */
    record None() implements MembershipChange {
        public String describe() {
            return "membership matches the spec";
        }
    }

    static Hold waiting(String reason, String message) {
        return new Hold(reason, message, false);
    }

    static Hold refused(String reason, String message) {
        return new Hold(reason, message, true);
    }
}
