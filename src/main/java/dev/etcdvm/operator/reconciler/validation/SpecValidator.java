package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.reconciler.kube.SecretReader;
import java.util.List;

/**
 * Checks a spec before anything touches a machine. It repeats the CRD's OpenAPI and CEL rules, because
 * a resource can reach the operator without passing them (an older CRD, an API server without CEL,
 * the in-process test server), and adds the rules CEL cannot express: version jumps and Secrets.
 */
public final class SpecValidator {
    private final List<SpecRule> structuralRules = List.of(
            new VersionRules(), new MemberRules(), new SshRules(), new BinaryRules(), new EtcdRules(), new PathRules(),
            new TlsRules(), new BackupRules(), new MaintenanceRules());
    private final SecretRules secretRules = new SecretRules();

    /** @param secrets the pass's Secrets: only their keys are looked at here */
    public List<SpecViolation> validate(EtcdVmCluster cluster, SecretReader secrets) {
        Violations out = new Violations();
        if (cluster.getSpec() == null) {
            out.add("spec", "is required");
            return out.list();
        }
        structuralRules.forEach(rule -> rule.check(cluster, out));
        // Only look Secrets up for an otherwise sound spec: their names may be among the faults.
        if (out.list().isEmpty()) {
            secretRules.check(cluster, secrets, out);
        }
        return out.list();
    }
}
