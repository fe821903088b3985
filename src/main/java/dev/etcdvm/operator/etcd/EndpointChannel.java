package dev.etcdvm.operator.etcd;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One TLS gRPC connection to one etcd member, with jetcd's generated etcd v3 stubs. The channel's
 * authority is the endpoint's own host, so the server certificate is checked against that member's
 * name or IP. close() waits until the channel has really terminated.
 */
final class EndpointChannel implements AutoCloseable {
    private final String endpoint;
    private final ManagedChannel channel;
    private final Duration closeTimeout;

    EndpointChannel(String endpoint, SslContext ssl, Duration timeout) {
        URI uri = URI.create(endpoint);
        this.endpoint = endpoint;
        this.closeTimeout = timeout;
        // Calls fail fast (no wait-for-ready): a stopped member answers "connection refused" at once.
        this.channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
                .sslContext(ssl)
                .withOption(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .build();
    }

    String endpoint() {
        return endpoint;
    }

    KVGrpc.KVBlockingStub kv(Deadline deadline) {
        return KVGrpc.newBlockingStub(channel).withDeadline(deadline);
    }

    ClusterGrpc.ClusterBlockingStub cluster(Deadline deadline) {
        return ClusterGrpc.newBlockingStub(channel).withDeadline(deadline);
    }

    MaintenanceGrpc.MaintenanceBlockingStub maintenance(Deadline deadline) {
        return MaintenanceGrpc.newBlockingStub(channel).withDeadline(deadline);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
