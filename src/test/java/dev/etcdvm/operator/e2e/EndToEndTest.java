package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.testbed.Testbed;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The real-machine tests' base: one production operator per test class against the testbed machines
 * and an API server (in-process, or KUBECONFIG's with E2E_USE_KUBECONFIG=true).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndTest {
    protected Testbed testbed;
    protected OperatorFixture fixture;

    @BeforeAll
    final void startOperator() {
        testbed = Testbed.requireOrSkip();
        fixture = new OperatorFixture(testbed);
    }

    /** Each test's clusters are let go; tests start from fresh machines, not from what these leave. */
    @AfterEach
    final void releaseClusters() {
        if (fixture != null) {
            fixture.deleteAllClusters(Duration.ofSeconds(60));
        }
    }

    /** A file of a machine, read as root. */
    protected final String read(Testbed.Machine vm, String path) {
        Testbed.CommandResult result = testbed.sshExec(vm, "root", "cat " + path);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }

    /** The process id of etcd's service on a machine (0 when it does not run). */
    protected final String mainPid(Testbed.Machine vm) {
        return testbed.sshExec(vm, "root", "systemctl show -p MainPID --value etcd").stdout().trim();
    }

    @AfterAll
    final void stopOperator() {
        if (fixture != null) {
            fixture.close();
        }
    }
}
