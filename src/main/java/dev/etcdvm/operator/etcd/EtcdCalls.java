package dev.etcdvm.operator.etcd;

import java.time.Duration;

/** What the etcd client reports of each call, for metrics; this package knows nothing of how they are kept. */
public interface EtcdCalls {
    /**
     * @param operation e.g. "etcd.status", a small fixed set
     * @param outcome "ok", or "failed" (etcd answered with an error, or nobody answered in time)
     */
    void called(String operation, String outcome, Duration took);

    EtcdCalls NONE = (operation, outcome, took) -> { };
}
