package dev.etcdvm.operator.e2e;

import dev.etcdvm.operator.reconciler.pass.Failpoints;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kills the operator at one failpoint: the pass ends right there, and every later pass of this operator
 * ends before doing anything, as if the process were gone. The test then starts a fresh operator.
 */
final class KillSwitch implements Failpoints {
    private final Point at;
    private final CountDownLatch killed = new CountDownLatch(1);
    private final AtomicInteger toPass;
    private volatile boolean dead;

    KillSwitch(Point at) {
        this(at, 1);
    }

    /** Kills the operator the nth time it reaches the point. */
    KillSwitch(Point at, int nth) {
        this.at = at;
        this.toPass = new AtomicInteger(nth);
    }

    @Override
    public void reached(Point point) {
        if (dead) {
            throw new Killed("operator is dead (killed at " + at + ")");
        }
        if (point == at && toPass.decrementAndGet() == 0) {
            dead = true;
            killed.countDown();
            throw new Killed("operator killed at " + at);
        }
    }

    void awaitKilled(Duration within) throws InterruptedException {
        if (!killed.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the operator never reached " + at);
        }
    }

    static final class Killed extends Failpoints.Stop {
        Killed(String message) {
            super(message);
        }
    }
}
