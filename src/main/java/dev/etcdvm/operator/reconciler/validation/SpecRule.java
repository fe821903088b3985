package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;

/** One group of related checks of an EtcdVmCluster spec. */
@FunctionalInterface
public interface SpecRule {
    void check(EtcdVmCluster cluster, Violations out);
}
