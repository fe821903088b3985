package dev.etcdvm.operator;

import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.steps.HostActions;

/**
 * The operator's side effects on machines and etcd, behind interfaces, so decision-logic tests can
 * run the real reconciler against the in-process API server with recording fakes.
 *
 * @param resources closed after the operator stops (the SSH client, etcd clients, thread pools)
 */
public record Collaborators(ClusterObserver observer, HostActions actions, AutoCloseable resources) {
}
