package dev.etcdvm.operator.reconciler.validation;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.Patterns;
import dev.etcdvm.operator.provision.SystemPaths;

/**
 * Paths that end up in remote commands and unit files must be plain and must not be, hold or sit in
 * system folders. The machine checks the same rules again on the path as it resolves it.
 */
final class PathRules implements SpecRule {
    private static final String DATA_DIR = "spec.etcd.dataDir";
    private static final String INSTALL_DIR = "spec.binary.installDir";

    @Override
    public void check(EtcdVmCluster cluster, Violations out) {
        if (cluster.getSpec().getEtcd() == null || cluster.getSpec().getBinary() == null) {
            return; // reported by the rules of those sections
        }
        String data = cluster.getSpec().getEtcd().getDataDir();
        String bin = cluster.getSpec().getBinary().getInstallDir();
        boolean dataPlain = plain(DATA_DIR, data, out);
        boolean binPlain = plain(INSTALL_DIR, bin, out);
        if (dataPlain) {
            SystemPaths.dataDirProblem(data).ifPresent(p -> out.add(DATA_DIR, p));
        }
        if (binPlain) {
            SystemPaths.installDirProblem(bin).ifPresent(p -> out.add(INSTALL_DIR, p));
        }
        if (dataPlain && binPlain) {
            SystemPaths.overlapProblem(data, bin).ifPresent(p -> out.add(DATA_DIR, p));
        }
    }

    private static boolean plain(String field, String path, Violations out) {
        return out.requireMatch(field, path, Patterns.ABSOLUTE_PATH, "an absolute path of plain segments"
                + " (none starting with a dot)");
    }
}
