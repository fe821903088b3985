package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import lombok.Data;

/**
 * Routine chores done for the cluster: defragmentation driven by fragmentation (and, optionally, a schedule), one
 * member at a time, followers first and the leader last, only while every member is healthy and nothing else
 * changes; and recovery from etcd's NOSPACE alarm (compact, defragment each member, disarm).
 */
@Data
public class MaintenanceSpec {
    @Default("true")
    @JsonPropertyDescription("Defragment members whose database is mostly free space (see the thresholds).")
    private boolean defragment = true;

    @Default("50")
    @Min(1)
    @Max(99)
    @JsonPropertyDescription("A member is defragmented when less than this percentage of its database is in use...")
    private int defragmentBelowInUsePercent = 50;

    @Default("104857600")
    @Min(0)
    @JsonPropertyDescription("...and the database is larger than this many bytes (100 MiB by default).")
    private long defragmentAboveBytes = 104_857_600L;

    @JsonPropertyDescription("Also defragment every member larger than defragmentAboveBytes at these times (5-field"
            + " cron in UTC, or @daily, @weekly, ...); unset: only by the thresholds.")
    private String defragmentSchedule;

    @Default("10")
    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Seconds to wait after one member's defragmentation before the next.")
    private int pauseBetweenMembersSeconds = 10;

    @Default("true")
    @JsonPropertyDescription("On etcd's NOSPACE alarm: compact to the current revision, defragment each member and"
            + " disarm the alarm, without a human.")
    private boolean recoverFromNoSpace = true;
}
