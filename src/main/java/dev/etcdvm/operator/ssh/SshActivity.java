package dev.etcdvm.operator.ssh;

import java.time.Duration;

/** What the SSH layer reports as it works, for metrics; this package knows nothing of how they are kept. */
public interface SshActivity {
    /** A remote command finished (or failed to): {@code operation} is its label, a small fixed set. */
    void commandRan(String operation, Duration took, String outcome);

    SshActivity NONE = (operation, took, outcome) -> { };
}
