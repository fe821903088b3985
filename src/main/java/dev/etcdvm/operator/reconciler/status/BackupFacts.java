package dev.etcdvm.operator.reconciler.status;

import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * Backups as a pass leaves them.
 *
 * @param status status.backup as recorded by this pass
 * @param notActing why this pass could not act on the cluster (and so took no snapshot), if it could not
 */
public record BackupFacts(BackupStatus status, Instant now, Optional<String> notActing) {
}
