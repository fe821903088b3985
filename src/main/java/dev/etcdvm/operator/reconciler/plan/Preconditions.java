package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.machines.HostResult;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * Checks an action's preconditions right before it runs, against what the pass did so far. {@link
 * Precondition.OnMachine} is not checked here: the script that acts proves it on the machine, in the same run.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /** The first precondition of the action that does not hold now. */
    public static Optional<Unmet> firstUnmet(Action action, Pass pass) {
        for (Precondition p : action.preconditions()) {
            Optional<Unmet> unmet = unmet(p, pass);
            if (unmet.isPresent()) {
                return unmet;
            }
        }
        return Optional.empty();
    }

    static Optional<Unmet> unmet(Precondition precondition, Pass pass) {
        if (precondition instanceof Precondition.SnapshotStored stored) {
            return SnapshotFirst.waiting(pass.cluster(), pass.effects().backup(), stored.change())
                    ? Optional.of(new Unmet(precondition, ConditionReason.WaitingForSnapshot, "a snapshot is stored before "
                            + stored.change() + " (see BackupHealthy)")) : Optional.empty();
        }
        if (precondition instanceof Precondition.SpecUnchanged) {
            try {
                return pass.fence().specChanged() ? Optional.of(new Unmet(precondition, ConditionReason.SpecChanged,
                        "the spec changed while this pass observed; deciding again")) : Optional.empty();
            } catch (KubernetesClientException e) {
                return Optional.of(new Unmet(precondition, FailureReason.KubernetesApiError,
                        "the resource could not be read again: " + e.getMessage()));
            }
        }
        if (precondition instanceof Precondition.FoundersStarted founders) {
            return founders.founders().stream().filter(f -> !runs(f, pass)).findFirst().map(f -> new Unmet(precondition,
                    ConditionReason.FoundersNotStarted, f + " does not run; the cluster cannot form this pass"));
        }
        if (precondition instanceof Precondition.Stopped stopped) {
            return stopped.members().stream().filter(m -> Optional.ofNullable(pass.effects().hosts().get(m))
                    .flatMap(HostResult::failure).isPresent() || !pass.effects().hosts().containsKey(m)).findFirst()
                    .map(m -> new Unmet(precondition, ConditionReason.NotStopped, m + " may still run an old member; the seed"
                            + " is left alone"));
        }
        return Optional.empty();
    }

    /** Started this pass, or (not provisioned this pass) found running by the probe. */
    private static boolean runs(String member, Pass pass) {
        HostResult result = pass.effects().hosts().get(member);
        if (result != null) {
            return result.failure().isEmpty() && result.outcome().map(HostOutcome::started).orElse(false);
        }
        return pass.observed().host(member).flatMap(HostObservation::facts).map(HostFacts::serviceActive).orElse(false);
    }
}
