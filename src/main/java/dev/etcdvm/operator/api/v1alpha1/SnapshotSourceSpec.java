package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.Data;

/** One snapshot in the store: by its key, or the newest under a folder (a cluster's folder, by its uid). */
@Data
@ValidationRule(value = "has(self.key) != has(self.latestUnder)", message = "set exactly one of key and latestUnder")
public class SnapshotSourceSpec {
    @Pattern(Patterns.S3_SNAPSHOT_KEY)
    @JsonPropertyDescription("Object key of the snapshot, e.g. prod/etcd/main/<uid>/20261126T010000Z.db.")
    private String key;

    @Pattern(Patterns.S3_PREFIX)
    @JsonPropertyDescription("Take the newest snapshot under this folder, e.g. prod/etcd/main/<uid>/.")
    private String latestUnder;
}
