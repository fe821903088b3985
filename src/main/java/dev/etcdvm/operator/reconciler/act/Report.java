package dev.etcdvm.operator.reconciler.act;

import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.plan.Outcome;

/** What an executor came to, and what the pass records of it for status, Events and the next look. */
public record Report(Outcome outcome, Effects effects) {
}
