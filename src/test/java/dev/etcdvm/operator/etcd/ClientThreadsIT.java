package dev.etcdvm.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** close() must really stop the client: once every channel is closed, gRPC's threads go away too. */
class ClientThreadsIT {
    @Test
    void closeLeavesNoClientThreadBehind() {
        try (LocalEtcdCluster etcd = LocalEtcdCluster.start("3.5.16", 1)) {
            // gRPC's shared threads live on for a second after the last channel of an earlier test closed.
            await().atMost(Duration.ofSeconds(10)).until(() -> grpcThreads().isEmpty());

            JetcdCluster cluster = new JetcdCluster(etcd.endpoints(), etcd.clientTls(), Duration.ofSeconds(2));
            String endpoint = etcd.endpoints().get(0);
            assertThat(cluster.health(endpoint).healthy()).isTrue();
            cluster.status(endpoint);
            cluster.members();
            cluster.health("https://127.0.0.1:1"); // a failed dial, too
            assertThat(grpcThreads()).isNotEmpty();

            cluster.close();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(grpcThreads()).isEmpty());
        }
    }

    private static List<String> grpcThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("grpc-")).toList();
    }
}
