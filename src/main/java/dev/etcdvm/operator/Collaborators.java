package dev.etcdvm.operator;

import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.Failpoints;
import dev.etcdvm.operator.reconciler.steps.HostActions;
import dev.etcdvm.operator.reconciler.steps.MembershipActions;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.util.function.LongSupplier;

/**
 * The operator's side effects on machines and etcd, behind interfaces, so decision-logic tests can
 * run the real reconciler against the in-process API server with recording fakes.
 *
 * @param sshSessionsOpened SSH sessions opened so far (the benchmark and the no-op tests read it)
 * @param timings where provisioning time goes (recorded by the benchmark)
 * @param failpoints crash tests stop the operator at these; production uses none
 * @param resources closed after the operator stops (the SSH client, etcd clients, thread pools)
 */
public record Collaborators(ClusterObserver observer, HostActions actions, MembershipActions membership,
        LongSupplier sshSessionsOpened, PhaseTimings timings, Failpoints failpoints, AutoCloseable resources) {
    /** For tests whose fakes open no sessions. */
    public Collaborators(ClusterObserver observer, HostActions actions, MembershipActions membership,
            AutoCloseable resources) {
        this(observer, actions, membership, () -> 0, PhaseTimings.NONE, Failpoints.NONE, resources);
    }

    public Collaborators withFailpoints(Failpoints points) {
        return new Collaborators(observer, actions, membership, sshSessionsOpened, timings, points, resources);
    }
}
