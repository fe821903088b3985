package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.provision.SnapshotCheck;
import dev.etcdvm.operator.reconciler.failure.Failure;
import java.util.Optional;

/** A restore drill on one member's machine: what the tool read from the snapshot, or why it failed. */
public record DrillResult(String member, Optional<SnapshotCheck> check, Optional<Failure> failure) {
}
