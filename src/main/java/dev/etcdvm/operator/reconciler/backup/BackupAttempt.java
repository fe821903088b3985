package dev.etcdvm.operator.reconciler.backup;

import dev.etcdvm.operator.api.v1alpha1.SnapshotRecord;
import dev.etcdvm.operator.provision.SnapshotCheck;
import java.util.Optional;

/** What one snapshot attempt, or one restore drill, came to. */
public sealed interface BackupAttempt {
    BackupTrigger trigger();

    /**
     * Stored, its metadata complete, and the cluster's older snapshots pruned.
     *
     * @param retained snapshots of the cluster left in the store after pruning (this one included)
     * @param pruneProblem why pruning did not finish, when it did not (the snapshot is stored all the same)
     */
    record Taken(BackupTrigger trigger, SnapshotRecord snapshot, int retained, Optional<String> pruneProblem)
            implements BackupAttempt {
    }

    /**
     * Nothing was stored.
     *
     * @param reason CredentialsRejected, CredentialsMissing, BucketMissing, StoreUnreachable, StoreError,
     *     EtcdUnavailable or SnapshotCorrupt
     */
    record Failed(BackupTrigger trigger, String reason, String message) implements BackupAttempt {
    }

    /**
     * A restore drill ran (the snapshot it checked and where), passed or not.
     *
     * @param check what the version's tool read from the snapshot, when it restored
     * @param problem why the drill failed, when it did
     */
    record Drilled(BackupTrigger trigger, String key, String member, Optional<SnapshotCheck> check,
            Optional<String> problem) implements BackupAttempt {
    }
}
