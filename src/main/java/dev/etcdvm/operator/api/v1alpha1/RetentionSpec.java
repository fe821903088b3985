package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import lombok.Data;

/**
 * Which snapshots of the cluster are kept: the newest {@code keepLast}, plus the newest of each of the last
 * {@code hourly} hours and of the last {@code daily} days. A snapshot any rule keeps is kept.
 */
@Data
public class RetentionSpec {
    @Default("7")
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("The newest snapshots kept whatever their age.")
    private int keepLast = 7;

    @Default("0")
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Also keep the newest snapshot of each of this many last hours (UTC).")
    private int hourly;

    @Default("0")
    @Min(0)
    @Max(3650)
    @JsonPropertyDescription("Also keep the newest snapshot of each of this many last days (UTC).")
    private int daily;
}
