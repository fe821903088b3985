package dev.etcdvm.operator.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one open {@link EtcdCluster} per operator-managed cluster, so reconcile passes reuse TLS
 * connections. A cluster whose endpoints or TLS material changed gets a fresh connection and the old
 * one is closed; {@link #forget} drops a deleted cluster's connection.
 *
 * <p>Thread-safe. JOSDK never reconciles the same resource on two threads at once, so a connection is
 * not closed under a caller that is still using it for the same cluster.
 */
public final class EtcdClusters implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EtcdClusters.class);

    /** Opens a connection; the real one is {@link JetcdCluster}, tests pass fakes. */
    @FunctionalInterface
    public interface Connector {
        EtcdCluster connect(List<String> endpoints, EtcdTls tls);
    }

    private record Entry(List<String> endpoints, EtcdTls tls, EtcdCluster cluster) {
    }

    private final Connector connector;
    private final Map<String, Entry> open = new HashMap<>();

    /** @param timeout bound for each etcd call */
    public EtcdClusters(Duration timeout) {
        this(timeout, EtcdCalls.NONE);
    }

    /** @param calls told of every etcd call, for metrics */
    public EtcdClusters(Duration timeout, EtcdCalls calls) {
        this((endpoints, tls) -> new JetcdCluster(endpoints, tls, timeout, calls));
    }

    public EtcdClusters(Connector connector) {
        this.connector = connector;
    }

    /**
     * @param key identifies the managed cluster, e.g. "namespace/name"
     * @param endpoints its members' client URLs; order does not matter
     */
    public EtcdCluster get(String key, List<String> endpoints, EtcdTls tls) {
        List<String> sorted = endpoints.stream().sorted().toList();
        EtcdCluster stale;
        EtcdCluster fresh;
        synchronized (open) {
            Entry current = open.get(key);
            if (current != null && current.endpoints().equals(sorted) && current.tls().equals(tls)) {
                return current.cluster();
            }
            fresh = connector.connect(sorted, tls);
            open.put(key, new Entry(sorted, tls, fresh));
            stale = current == null ? null : current.cluster();
        }
        if (stale != null) {
            log.debug("etcd connection for {} replaced: endpoints or TLS material changed", key);
            closeQuietly(stale);
        }
        return fresh;
    }

    /** Closes and drops the connection of a deleted cluster; a no-op when none is open. */
    public void forget(String key) {
        Entry removed;
        synchronized (open) {
            removed = open.remove(key);
        }
        if (removed != null) {
            closeQuietly(removed.cluster());
        }
    }

    /** How many connections are open, for tests and metrics. */
    public int size() {
        synchronized (open) {
            return open.size();
        }
    }

    @Override
    public void close() {
        List<Entry> all;
        synchronized (open) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(e -> closeQuietly(e.cluster()));
    }

    private static void closeQuietly(EtcdCluster cluster) {
        if (cluster instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("closing etcd connection {} failed: {}", cluster, e.toString());
            }
        }
    }
}
