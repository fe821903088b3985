package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.failure.Failure;
import java.util.List;
import java.util.Optional;

/** The outcome of an action on one machine, or why it failed. */
public record HostResult(String member, Optional<HostOutcome> outcome, Optional<Failure> failure) {
    public static HostResult done(String member, HostOutcome outcome) {
        return new HostResult(member, Optional.of(outcome), Optional.empty());
    }

    /** Done, and nothing the provisioner reports on (a stop, a restart's own bookkeeping). */
    public static HostResult done(String member, boolean started) {
        return done(member, new HostOutcome(List.of(), false, started, false));
    }

    public static HostResult failed(String member, Failure failure) {
        return new HostResult(member, Optional.empty(), Optional.of(failure.forMember(member)));
    }

    public boolean changedAnything() {
        return outcome.map(HostOutcome::changedAnything).orElse(false);
    }
}
