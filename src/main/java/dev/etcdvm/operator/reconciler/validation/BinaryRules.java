package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.BinarySpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.Patterns;

/** Release source, checksum and install directory. */
final class BinaryRules implements SpecRule {
    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        BinarySpec binary = cluster.getSpec().getBinary();
        if (binary == null) {
            return;
        }
        out.requireMatch("spec.binary.baseURL", binary.getBaseURL(), Patterns.HTTP_URL, "an http(s) URL");
        out.optionalMatch("spec.binary.sha256", binary.getSha256(), Patterns.SHA256_HEX, "64 lowercase hex digits");
        if (binary.getDelivery() == null) {
            out.add("spec.binary.delivery", "must be HostDownload or OperatorPush");
        }
    }
}
