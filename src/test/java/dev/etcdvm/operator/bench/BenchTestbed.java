package dev.etcdvm.operator.bench;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.support.ApiServer;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The testbed as the benchmarks use it: its first three machines, wiped between runs, and their cluster. */
final class BenchTestbed {
    static final Path DIR = Path.of("target/testbed");

    private BenchTestbed() {
    }

    /** Name and address of the first three machines. */
    static List<String[]> machines() throws IOException {
        return Files.readAllLines(DIR.resolve("machines")).stream()
                .filter(l -> !l.isBlank()).map(l -> l.trim().split("\\s+")).limit(3).toList();
    }

    /** The SSH Secret the operator logs in with. */
    static void writeSshSecret(ApiServer api) throws IOException {
        api.client().secrets().inNamespace(api.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(Specs.SSH_SECRET).endMetadata()
                .addToStringData(Specs.PRIVATE_KEY, Files.readString(DIR.resolve("id_ed25519")))
                .addToStringData(Specs.KNOWN_HOSTS, Files.readString(DIR.resolve("known_hosts")))
                .build()).create();
    }

    /** A cluster of the machines, installing from the testbed's mirror. */
    static EtcdVmCluster cluster(String name, ApiServer api, List<String[]> machines, String version) throws IOException {
        List<MemberSpec> members = new ArrayList<>();
        for (int i = 0; i < machines.size(); i++) {
            members.add(new MemberSpec("etcd-" + (i + 1), machines.get(i)[1]));
        }
        EtcdVmCluster cluster = Specs.cluster(name, api.namespace(), members);
        cluster.getSpec().setVersion(version);
        cluster.getSpec().getBinary().setBaseURL(Files.readString(DIR.resolve("mirror-url")).trim());
        return cluster;
    }

    static void wipe(List<String[]> machines) throws Exception {
        for (String[] m : machines) {
            Process p = new ProcessBuilder("src/testbed/testbed.sh", "start", m[0], "--wipe")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("could not wipe " + m[0]);
            }
        }
        // A machine answers SSH while it is still booting; timing starts once every boot has finished, so
        // nothing measured competes with it for the two cores.
        for (String[] m : machines) {
            Process p = new ProcessBuilder("ssh", "-i", DIR.resolve("id_ed25519").toString(), "-o", "BatchMode=yes",
                    "-o", "UserKnownHostsFile=" + DIR.resolve("known_hosts"), "root@" + m[1],
                    "systemctl is-system-running --wait >/dev/null; true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException(m[0] + " did not finish booting");
            }
        }
    }

    static double secs(Duration d) {
        return d.toNanos() / 1e9;
    }
}
