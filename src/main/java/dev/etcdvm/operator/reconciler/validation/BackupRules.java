package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStoreSpec;
import dev.etcdvm.operator.api.v1alpha1.BootstrapSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.Patterns;
import dev.etcdvm.operator.api.v1alpha1.SnapshotSourceSpec;
import dev.etcdvm.operator.schedule.CronSchedule;

/**
 * The backup schedule, store and retention, and a snapshot to form from. The store's Secrets are not checked here: a missing one fails the
 * backups (BackupHealthy), never the whole cluster's management.
 */
final class BackupRules implements SpecRule {
    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        checkBootstrap(cluster, out);
        BackupSpec backup = cluster.getSpec().getBackup();
        if (backup == null) {
            return;
        }
        if (backup.getSchedule() != null && !backup.getSchedule().isBlank()) {
            CronSchedule.problem(backup.getSchedule()).ifPresent(p -> out.add("spec.backup.schedule",
                    "\"" + Violations.printable(backup.getSchedule()) + "\" is not a 5-field cron schedule: " + p));
        }
        BackupStoreSpec store = backup.getStore();
        if (store == null) {
            out.add("spec.backup.store", "is required");
        } else {
            out.requireMatch("spec.backup.store.endpoint", store.getEndpoint(), Patterns.HTTP_URL, "an http(s) URL");
            out.requireMatch("spec.backup.store.bucket", store.getBucket(), Patterns.S3_BUCKET, "an S3 bucket name");
            out.optionalMatch("spec.backup.store.prefix", store.getPrefix(), Patterns.S3_PREFIX,
                    "a key prefix of letters, digits, !_.*'()- and single slashes");
            if (store.getCredentialsSecretRef() == null) {
                out.add("spec.backup.store.credentialsSecretRef", "is required");
            } else {
                out.requireMatch("spec.backup.store.credentialsSecretRef.name", store.getCredentialsSecretRef().getName(),
                        Patterns.DNS1123_SUBDOMAIN, "a valid Secret name");
            }
        }
        if (backup.getRetention() != null) {
            out.requireRange("spec.backup.retention.keepLast", backup.getRetention().getKeepLast(), 1, 1000);
            out.requireRange("spec.backup.retention.hourly", backup.getRetention().getHourly(), 0, 1000);
            out.requireRange("spec.backup.retention.daily", backup.getRetention().getDaily(), 0, 3650);
        }
    }

    private static void checkBootstrap(EtcdVmCluster cluster, Violations out) {
        BootstrapSpec bootstrap = cluster.getSpec().getBootstrap();
        if (bootstrap == null || bootstrap.getFromSnapshot() == null) {
            return;
        }
        SnapshotSourceSpec source = bootstrap.getFromSnapshot();
        if ((source.getKey() == null) == (source.getLatestUnder() == null)) {
            out.add("spec.bootstrap.fromSnapshot", "set exactly one of key and latestUnder");
        }
        out.optionalMatch("spec.bootstrap.fromSnapshot.key", source.getKey(), Patterns.S3_SNAPSHOT_KEY, "an object key");
        out.optionalMatch("spec.bootstrap.fromSnapshot.latestUnder", source.getLatestUnder(), Patterns.S3_PREFIX,
                "a key prefix");
        if (cluster.getSpec().getBackup() == null) {
            out.add("spec.bootstrap.fromSnapshot", "needs spec.backup.store: the snapshot is read from that store");
        }
    }
}
