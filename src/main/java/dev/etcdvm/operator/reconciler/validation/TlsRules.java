package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.Patterns;
import dev.etcdvm.operator.api.v1alpha1.TlsSpec;

/** Certificate lifetimes and the optional CA reference. */
final class TlsRules implements SpecRule {
    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        TlsSpec tls = cluster.getSpec().getTls();
        if (tls == null) {
            return;
        }
        out.requireRange("spec.tls.certificateValidityDays", tls.getCertificateValidityDays(), 1, 3650);
        out.requireRange("spec.tls.renewBeforeDays", tls.getRenewBeforeDays(), 1, 3649);
        if (tls.getRenewBeforeDays() >= tls.getCertificateValidityDays()) {
            out.add("spec.tls.renewBeforeDays", "must be less than certificateValidityDays ("
                    + tls.getCertificateValidityDays() + ")");
        }
        if (tls.getCaSecretRef() != null) {
            out.requireMatch("spec.tls.caSecretRef.name", tls.getCaSecretRef().getName(),
                    Patterns.DNS1123_SUBDOMAIN, "a valid Secret name");
        }
    }
}
