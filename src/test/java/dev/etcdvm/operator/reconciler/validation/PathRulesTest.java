package dev.etcdvm.operator.reconciler.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.support.Specs;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The directories the operator would own, chown, wipe or run binaries from, as the spec names them. */
class PathRulesTest {
    @ParameterizedTest(name = "dataDir {0}, installDir {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "/var/lib/etcd | /usr/local/bin | ok",
        "/srv/etcd/data | /opt/etcd/bin | ok",
        "/data/etcd | /usr/bin | ok",
        "/.. | /usr/local/bin | spec.etcd.dataDir: \"/..\" is not an absolute path",
        "/../etc | /usr/local/bin | spec.etcd.dataDir: \"/../etc\" is not an absolute path",
        "/var/lib/.etcd | /usr/local/bin | spec.etcd.dataDir: \"/var/lib/.etcd\" is not an absolute path",
        "/var/lib | /usr/local/bin | spec.etcd.dataDir: /var/lib is a system directory",
        "/var | /usr/local/bin | spec.etcd.dataDir: /var is a system directory or holds one",
        "/etc/ssh | /usr/local/bin | spec.etcd.dataDir: /etc/ssh is inside /etc",
        "/usr/local/bin | /opt/bin | spec.etcd.dataDir: /usr/local/bin is a system directory",
        "/usr/local/etcd | /usr/local/bin | spec.etcd.dataDir: /usr/local/etcd is inside /usr",
        "/tmp/etcd | /usr/local/bin | spec.etcd.dataDir: /tmp/etcd is inside /tmp",
        "/run/etcd | /usr/local/bin | spec.etcd.dataDir: /run/etcd is inside /run",
        "/var/lib/etcd | /tmp | spec.binary.installDir: /tmp is /tmp",
        "/var/lib/etcd | /tmp/bin | spec.binary.installDir: /tmp/bin is inside /tmp",
        "/var/lib/etcd | /usr | spec.binary.installDir: /usr holds system directories",
        "/var/lib/etcd | /etc/etcd | spec.binary.installDir: /etc/etcd is inside /etc",
        "/srv/etcd | /srv/etcd/bin | spec.etcd.dataDir: the data directory /srv/etcd and the install directory /srv/etcd/bin must not contain each other",
    })
    void refusesDirectoriesTheOperatorMustNotOwn(String dataDir, String installDir, String expected) {
        EtcdVmCluster cluster = Specs.threeMembers("paths", "ns");
        cluster.getSpec().getEtcd().setDataDir(dataDir);
        cluster.getSpec().getBinary().setInstallDir(installDir);
        Violations out = new Violations();
        new PathRules().check(cluster, out);
        List<String> found = out.list().stream().map(SpecViolation::toString).toList();
        if (expected.equals("ok")) {
            assertThat(found).isEmpty();
        } else {
            assertThat(found).singleElement().asString().startsWith(expected);
        }
    }
}
