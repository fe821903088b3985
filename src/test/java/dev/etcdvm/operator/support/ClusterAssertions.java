package dev.etcdvm.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/** Reads a named condition of a cluster and states what it should be. */
public final class ClusterAssertions {
    private ClusterAssertions() {
    }

    public static Optional<Condition> condition(EtcdVmCluster cluster, String type) {
        if (cluster == null || cluster.getStatus() == null) {
            return Optional.empty();
        }
        return cluster.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static Condition assertCondition(EtcdVmCluster cluster, String type, String status) {
        Optional<Condition> condition = condition(cluster, type);
        assertThat(condition).as("condition %s of %s", type, cluster.getMetadata().getName()).isPresent();
        assertThat(condition.get().getStatus()).as("status of %s: %s", type, condition.get()).isEqualTo(status);
        return condition.get();
    }
}
