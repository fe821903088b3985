package dev.etcdvm.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection reuse across reconcile passes, with a fake connector. */
class EtcdClustersTest {
    private static final EtcdTls TLS = new EtcdTls("ca", "cert", "key");

    /** Remembers what was opened and closed. */
    static final class FakeCluster implements EtcdCluster, AutoCloseable {
        final List<String> endpoints;
        boolean closed;

        FakeCluster(List<String> endpoints) {
            this.endpoints = endpoints;
        }

        @Override
        public List<EtcdMember> members() {
            return List.of();
        }

        @Override
        public EndpointStatus status(String endpoint) {
            throw new EtcdException("etcd.status", endpoint, "fake", null);
        }

        @Override
        public SnapshotInfo snapshot(String endpoint, OutputStream sink, Duration within) {
            throw new EtcdException("etcd.snapshot", endpoint, "fake", null);
        }

        @Override
        public String clusterVersion(String endpoint) {
            throw new EtcdException("etcd.version", endpoint, "fake", null);
        }

        @Override
        public EndpointHealth health(String endpoint) {
            return EndpointHealth.unhealthy(endpoint, java.time.Duration.ZERO, "fake");
        }

        @Override
        public List<EtcdAlarm> alarms() {
            return List.of();
        }

        @Override
        public void defragment(String endpoint, Duration within) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void compact(long revision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<EtcdAlarm> disarm(String type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EtcdMember addLearner(List<String> peerUrls) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void promote(long memberId) {
        }

        @Override
        public void remove(long memberId) {
        }

        @Override
        public void moveLeader(long toMemberId) {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<FakeCluster> opened = new ArrayList<>();
    private final EtcdClusters clusters = new EtcdClusters((endpoints, tls) -> {
        FakeCluster c = new FakeCluster(endpoints);
        opened.add(c);
        return c;
    });

    @Test
    void theSameClusterIsReusedAcrossPassesWhateverTheEndpointOrder() {
        EtcdCluster first = clusters.get("ns/a", List.of("https://b:2379", "https://a:2379"), TLS);
        EtcdCluster again = clusters.get("ns/a", List.of("https://a:2379", "https://b:2379"),
                new EtcdTls("ca", "cert", "key"));
        assertThat(again).isSameAs(first);
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).endpoints).containsExactly("https://a:2379", "https://b:2379");
    }

    @Test
    void newEndpointsOrTlsMaterialReplaceAndCloseTheOldConnection() {
        clusters.get("ns/a", List.of("https://a:2379"), TLS);
        clusters.get("ns/a", List.of("https://a:2379", "https://b:2379"), TLS);
        clusters.get("ns/a", List.of("https://a:2379", "https://b:2379"), new EtcdTls("ca", "cert2", "key2"));
        assertThat(opened).hasSize(3);
        assertThat(opened).extracting(c -> c.closed).containsExactly(true, true, false);
        assertThat(clusters.size()).isEqualTo(1);
    }

    @Test
    void clustersAreKeptApartAndForgetOrCloseReleasesThem() {
        clusters.get("ns/a", List.of("https://a:2379"), TLS);
        clusters.get("ns/b", List.of("https://a:2379"), TLS);
        assertThat(opened).hasSize(2);

        clusters.forget("ns/a");
        clusters.forget("ns/unknown");
        assertThat(opened).extracting(c -> c.closed).containsExactly(true, false);

        clusters.close();
        assertThat(opened).extracting(c -> c.closed).containsExactly(true, true);
        assertThat(clusters.size()).isZero();
    }
}
