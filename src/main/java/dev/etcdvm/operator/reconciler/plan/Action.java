package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.api.v1alpha1.MaintenanceStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MachineDrift;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.SnapshotSource;
import dev.etcdvm.operator.reconciler.decide.MaintenancePlanner;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.machines.Retiree;
import dev.etcdvm.operator.reconciler.pass.Pace;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One thing a pass does to the cluster, decided in full by the planner: each carries what its executor needs and
 * the facts it relies on ({@link #preconditions()}), so the executor never decides anything again.
 */
public sealed interface Action {
    /** One line: what, where, and what it relies on. */
    default String line() {
        List<Precondition> pre = preconditions();
        return describe() + (pre.isEmpty() ? "" : " [" + pre.stream().map(Precondition::line)
                .collect(Collectors.joining("; ")) + "]");
    }

    String describe();

    /** The members whose machine or etcd membership this action changes. */
    List<String> members();

    List<Precondition> preconditions();

    /** Whether it stops, removes, moves or overwrites something that ran or held data. */
    default boolean destructive() {
        return false;
    }

    /** Brings machines in line with their plans, in parallel; a joiner's old member data is set aside first. */
    record Provision(List<Machine> machines, List<String> currentMembers) implements Action {
        public Provision {
            machines = List.copyOf(machines);
            currentMembers = List.copyOf(currentMembers);
        }

        /** @param drift what provisioning will change there, from the same facts */
        public record Machine(MemberPlan plan, HostFacts facts, MachineDrift drift) {
            String name() {
                return plan.member().getName();
            }
        }

        public String describe() {
            return "provision " + machines.stream().map(m -> m.name() + " as " + m.plan().role()
                    + m.plan().memberId().map(id -> " " + id).orElse("")).collect(Collectors.joining(", "));
        }

        public List<String> members() {
            return machines.stream().map(Machine::name).toList();
        }

        /** Archiving a joiner's old data is proven on the machine; the rest only writes what the plan says. */
        public List<Precondition> preconditions() {
            return machines.stream().filter(m -> m.drift().archive())
                    .<Precondition>map(m -> new Precondition.OnMachine(m.name(), m.plan().clusterUid(), Optional.empty()))
                    .toList();
        }

        public boolean destructive() {
            return machines.stream().anyMatch(m -> m.drift().archive());
        }
    }

    /** Waits a few election timeouts for the founders to form the cluster. */
    record AwaitFormation(List<String> founders, Duration atMost) implements Action {
        public AwaitFormation {
            founders = List.copyOf(founders);
        }

        public String describe() {
            return "await formation of " + founders.size() + " founders (at most " + atMost.toMillis() + " ms)";
        }

        public List<String> members() {
            return List.of();
        }

        public List<Precondition> preconditions() {
            return List.of(new Precondition.FoundersStarted(founders));
        }
    }

    /**
     * The pass's one membership change (a learner added, promoted, a member removed).
     *
     * @param whileHeld when to look again if it has to wait
     */
    record ChangeMembership(MembershipChange change, Pace whileHeld, List<Precondition> preconditions)
            implements Action {
        public ChangeMembership {
            preconditions = List.copyOf(preconditions);
        }

        public String describe() {
            return change.describe();
        }

        public List<String> members() {
            return membersOf(change);
        }

        /** The member a change adds, promotes or removes. */
        static List<String> membersOf(MembershipChange change) {
            if (change instanceof MembershipChange.AddLearner add) {
                return List.of(add.member().getName());
            }
            if (change instanceof MembershipChange.Promote promote) {
                return List.of(promote.name());
            }
            return change instanceof MembershipChange.Remove remove ? List.of(remove.name()) : List.of();
        }

        public boolean destructive() {
            return change instanceof MembershipChange.Remove;
        }
    }

    /** Hands leadership to a caught-up follower before the leader's planned restart. */
    record HandOverLeadership(MembershipChange.MoveLeader move, List<Precondition> preconditions) implements Action {
        public HandOverLeadership {
            preconditions = List.copyOf(preconditions);
        }

        public String describe() {
            return move.describe() + " before restarting it";
        }

        public List<String> members() {
            return List.of(move.fromName());
        }
    }

    /** Restarts one member on its plan's files and binary. */
    record Restart(MemberPlan plan, HostFacts facts, List<Precondition> preconditions) implements Action {
        public Restart {
            preconditions = List.copyOf(preconditions);
        }

        public String describe() {
            return "restart " + plan.member().getName() + " on etcd " + plan.release().version();
        }

        public List<String> members() {
            return List.of(plan.member().getName());
        }

        public boolean destructive() {
            return true;
        }
    }

    /** Streams a snapshot from one member to the object store. */
    record Snapshot(BackupTrigger trigger, SnapshotSource source) implements Action {
        public String describe() {
            return "snapshot from " + source.member() + " (" + trigger.describe() + ")";
        }

        public List<String> members() {
            return List.of();
        }

        public List<Precondition> preconditions() {
            return List.of();
        }
    }

    /** Restores the newest stored snapshot into a scratch directory beside a member, which it never touches. */
    record Drill(BackupTrigger trigger, MemberPlan plan) implements Action {
        public String describe() {
            return "restore drill on " + plan.member().getName() + " (" + trigger.describe() + ")";
        }

        public List<String> members() {
            return List.of();
        }

        public List<Precondition> preconditions() {
            return List.of();
        }
    }

    /**
     * One maintenance step (a compaction, one member's defragmentation, the alarm's disarm).
     *
     * @param before status.maintenance as the pass found it (kept if this does not happen)
     * @param next status.maintenance once it is done
     */
    record Maintain(MaintenancePlanner.Action action, MaintenanceStatus before, MaintenanceStatus next)
            implements Action {
        public String describe() {
            if (action instanceof MaintenancePlanner.Defragment d) {
                return "defragment " + d.member();
            }
            return action instanceof MaintenancePlanner.Compact c ? "compact to revision " + c.revision()
                    : "disarm the NOSPACE alarm";
        }

        public List<String> members() {
            return action instanceof MaintenancePlanner.Defragment d ? List.of(d.member()) : List.of();
        }

        public List<Precondition> preconditions() {
            return List.of();
        }
    }

    /**
     * Stops (with {@code wipe}, also wipes) machines whose member etcd no longer lists.
     *
     * @param due the entries of status.retiringMembers acted on now
     * @param kept every entry still leaving before this action, {@code due} among them
     */
    record Retire(List<MemberStatus> due, List<MemberStatus> kept, String clusterUid, boolean wipe,
            List<String> currentMembers) implements Action {
        /**
         * A leaving machine that could not be reached is tried again this often, not on every pass: each try
         * may wait out a connect timeout, and the machine is no longer a member.
         */
        public static final Duration RETRY_FAILED = Duration.ofMinutes(1);

        public Retire {
            due = List.copyOf(due);
            kept = List.copyOf(kept);
            currentMembers = List.copyOf(currentMembers);
        }

        public String describe() {
            return (wipe ? "wipe " : "stop ") + due.stream().map(m -> m.getName() + " (" + m.getAddress() + ")")
                    .collect(Collectors.joining(", "));
        }

        public List<String> members() {
            return due.stream().map(MemberStatus::getName).toList();
        }

        public List<Precondition> preconditions() {
            return due.stream().<Precondition>map(m -> new Precondition.OnMachine(m.getName(), clusterUid,
                    Optional.ofNullable(m.getId()))).toList();
        }

        public boolean destructive() {
            return true;
        }
    }

    /** Stops the machines still running an old member before a quorum recovery restores the seed. */
    record StopForRecovery(List<Retiree> machines, String clusterUid, List<Precondition> before) implements Action {
        public StopForRecovery {
            machines = List.copyOf(machines);
            before = List.copyOf(before);
        }

        public String describe() {
            return "stop " + machines.stream().map(r -> r.machine().getName()).collect(Collectors.joining(", "))
                    + " before the quorum recovery";
        }

        public List<String> members() {
            return machines.stream().map(r -> r.machine().getName()).toList();
        }

        public List<Precondition> preconditions() {
            List<Precondition> all = new java.util.ArrayList<>(before);
            machines.forEach(r -> all.add(new Precondition.OnMachine(r.machine().getName(), clusterUid, r.memberId())));
            return all;
        }

        public boolean destructive() {
            return true;
        }
    }

    /**
     * Restores a lost quorum on the seed alone: its data set aside, a one-member cluster restored from its own
     * database or a stored snapshot.
     *
     * @param snapshotKey the stored snapshot restored from, when the choice was a snapshot
     */
    record Recover(MemberPlan seed, Optional<String> seedMemberId, String archiveStamp, String token,
            Optional<String> snapshotKey, long bumpRevisionBy, List<Precondition> before) implements Action {
        public Recover {
            before = List.copyOf(before);
        }

        public String describe() {
            return "recover the quorum on " + seed.member().getName() + " from "
                    + snapshotKey.map(k -> "snapshot " + k).orElse("its own data");
        }

        public List<String> members() {
            return List.of(seed.member().getName());
        }

        public List<Precondition> preconditions() {
            List<Precondition> all = new java.util.ArrayList<>(before);
            all.add(new Precondition.OnMachine(seed.member().getName(), seed.clusterUid(), seedMemberId));
            return all;
        }

        public boolean destructive() {
            return true;
        }
    }

    /** Writes the identity of a running voter's data into its data dir, once (see {@code DataIdentityRule}). */
    record MarkData(MemberPlan plan, String memberId, String dataId) implements Action {
        public String describe() {
            return "mark the data of " + plan.member().getName() + " (" + memberId + ") as " + dataId;
        }

        public List<String> members() {
            return List.of(plan.member().getName());
        }

        /** Proven by the script: the cluster's marker, and that the machine records this member. */
        public List<Precondition> preconditions() {
            return List.of(new Precondition.OnMachine(plan.member().getName(), plan.clusterUid(), Optional.of(memberId)));
        }
    }
}
