package dev.etcdvm.operator.etcd;

import java.time.Duration;

/**
 * Result of a health check against one endpoint, like {@code etcdctl endpoint health}.
 *
 * @param latency how long the check took (the committed read when healthy; until failure otherwise)
 * @param error why it is unhealthy; null when healthy
 */
public record EndpointHealth(String endpoint, boolean healthy, Duration latency, String error) {
    public static EndpointHealth healthy(String endpoint, Duration latency) {
        return new EndpointHealth(endpoint, true, latency, null);
    }

    public static EndpointHealth unhealthy(String endpoint, Duration latency, String error) {
        return new EndpointHealth(endpoint, false, latency, error);
    }
}
