package dev.etcdvm.operator.reconciler.steps;

import dev.etcdvm.operator.provision.HostOutcome;
import dev.etcdvm.operator.reconciler.observe.HostFailure;
import java.util.Optional;

/** The outcome of provisioning one machine, or why it failed. */
public record HostResult(String member, Optional<HostOutcome> outcome, Optional<HostFailure> failure) {
    public static HostResult done(String member, HostOutcome outcome) {
        return new HostResult(member, Optional.of(outcome), Optional.empty());
    }

    public static HostResult failed(String member, HostFailure failure) {
        return new HostResult(member, Optional.empty(), Optional.of(failure));
    }
}
