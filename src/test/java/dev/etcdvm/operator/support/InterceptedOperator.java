package dev.etcdvm.operator.support;

import dev.etcdvm.operator.EtcdVmOperator;
import dev.etcdvm.operator.config.OperatorSettings;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator with fake machines and etcd, on its own API client whose every request passes an
 * interceptor (to count requests, or to refuse them), against an in-process API server.
 */
public final class InterceptedOperator implements AutoCloseable {
    private final ApiServer api;
    private final KubernetesClient client;
    private final EtcdVmOperator operator;

    public InterceptedOperator(Interceptor interceptor, FakeHosts.Access access, ClusterObserver observer,
            Duration resync) throws IOException {
        this(interceptor, access, observer, resync, Duration.ZERO);
    }

    /** @param statusRefresh how often numbers alone are written to status (the production default is a minute) */
    public InterceptedOperator(Interceptor interceptor, FakeHosts.Access access, ClusterObserver observer,
            Duration resync, Duration statusRefresh) throws IOException {
        this(interceptor, access, observer, resync, statusRefresh, Clock.systemUTC());
    }

    /** @param clock the operator's time (a test steps it to let minutes pass in seconds) */
    public InterceptedOperator(Interceptor interceptor, FakeHosts.Access access, ClusterObserver observer,
            Duration resync, Duration statusRefresh, Clock clock) throws IOException {
        api = ApiServer.start();
        api.createPlaceholderSshSecret();
        client = api.operatorClient(interceptor);
        operator = new EtcdVmOperator(client, OperatorSettings.local(api.namespace(), resync)
                .withStatusRefresh(statusRefresh),
                Fakes.collaborators(access, observer, new FakeMachines(), new FakeMembership()).withClock(clock));
    }

    public ApiServer api() {
        return api;
    }

    @Override
    public void close() {
        operator.close();
        client.close();
        api.close();
    }
}
