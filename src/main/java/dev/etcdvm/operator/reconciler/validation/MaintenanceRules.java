package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MaintenanceSpec;
import dev.etcdvm.operator.schedule.CronSchedule;

/** Defragmentation thresholds, schedule and pause. */
final class MaintenanceRules implements SpecRule {
    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        MaintenanceSpec maintenance = cluster.getSpec().getMaintenance();
        if (maintenance == null) {
            return;
        }
        out.requireRange("spec.maintenance.defragmentBelowInUsePercent", maintenance.getDefragmentBelowInUsePercent(), 1, 99);
        out.requireRange("spec.maintenance.defragmentAboveBytes", maintenance.getDefragmentAboveBytes(), 0, Long.MAX_VALUE);
        out.requireRange("spec.maintenance.pauseBetweenMembersSeconds", maintenance.getPauseBetweenMembersSeconds(), 0, 3600);
        String schedule = maintenance.getDefragmentSchedule();
        if (schedule != null && !schedule.isBlank()) {
            CronSchedule.problem(schedule).ifPresent(p -> out.add("spec.maintenance.defragmentSchedule",
                    "\"" + Violations.printable(schedule) + "\" is not a 5-field cron schedule: " + p));
        }
    }
}
