package dev.etcdvm.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** What a new cluster starts from; read only while the cluster forms, ignored once it has. */
@Data
public class BootstrapSpec {
    @JsonPropertyDescription("Start from a snapshot in spec.backup.store instead of empty: every member is restored"
            + " from it (a new cluster id, etcd's revision moved forward on 3.5 so watchers never see it go back).")
    private SnapshotSourceSpec fromSnapshot;
}
