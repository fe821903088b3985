package dev.etcdvm.operator.e2e;

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

    @AfterAll
    final void stopOperator() {
        if (fixture != null) {
            fixture.close();
        }
    }
}
