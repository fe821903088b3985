package dev.etcdvm.operator.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes key prefix+00000001, prefix+00000002, ... (value "1", "2", ...) to etcd on a daemon thread, one
 * per tick, while a test changes the cluster underneath; afterwards {@link #missingAcknowledged()} proves
 * that no write etcd acknowledged was lost.
 *
 * <p>A refused write (any gRPC error, or no answer within {@value #WRITE_TIMEOUT_MILLIS} ms) is retried with
 * the same number on the next tick, against the next endpoint of a freshly read endpoint list, so the
 * writer follows membership changes. Only writes whose Put returned OK count as acknowledged; a refused
 * write may still have been committed, which is harmless because its retry writes the same value.
 *
 * <p>Talks to etcd through jetcd's generated stubs on {@link EndpointChannel}s, like {@link JetcdCluster}
 * (jetcd's own Client does not work on this classpath).
 */
public final class NumberedWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NumberedWriter.class);
    /**
     * Below the one-election-timeout bound the tests assert: a write raft dropped while leadership moved
     * (etcd answers it only at the deadline) is retried at once instead of being counted as a long refusal.
     */
    private static final long WRITE_TIMEOUT_MILLIS = 750;
    private static final Duration CHANNEL_TIMEOUT = Duration.ofMillis(WRITE_TIMEOUT_MILLIS);
    private static final long READ_TIMEOUT_MILLIS = 5_000;
    private static final int READ_PAGE = 1_000;

    /** How often the credentials are asked for again, as a client watching a mounted Secret would. */
    private static final long CREDENTIALS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Told of every write as it ends, on the writer's thread. */
    public interface Outcomes {
        Outcomes NONE = new Outcomes() {
            @Override
            public void acknowledged() {
            }

            @Override
            public void refused(String reason) {
            }
        };

        void acknowledged();

        void refused(String reason);
    }

    private final Supplier<EtcdTls> credentialSource;
    private final Outcomes outcomes;
    private final Supplier<List<String>> endpointSource;
    private final String prefix;
    private final long intervalNanos;
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Object channelLock = new Object();
    private final Map<String, EndpointChannel> channels = new HashMap<>();
    private boolean closed;

    private final NavigableSet<Long> acknowledged = new ConcurrentSkipListSet<>();
    private final AtomicLong attempted = new AtomicLong();

    // Refusal bookkeeping, guarded by this: read by test threads while the writer thread updates it.
    private boolean refused;
    private long refusedSinceNanos;
    private long longestRefusalNanos;

    // Touched by the writer thread only (ssl also under channelLock, where channels are made).
    private EtcdTls credentials;
    private SslContext ssl;
    private long credentialsCheckedNanos;
    private List<String> endpoints;
    private int endpointIndex;
    private long number = 1;

    private NumberedWriter(Supplier<EtcdTls> credentials, Supplier<List<String>> endpoints, String prefix,
            Duration interval, Outcomes outcomes) {
        this.credentialSource = credentials;
        this.outcomes = outcomes;
        this.credentials = credentials.get();
        this.ssl = ClientSslContext.build(this.credentials);
        this.credentialsCheckedNanos = System.nanoTime();
        this.endpointSource = endpoints;
        this.prefix = prefix;
        this.intervalNanos = interval.toNanos();
        this.endpoints = List.copyOf(endpoints.get());
        this.thread = new Thread(this::run, "numbered-writer " + prefix);
        this.thread.setDaemon(true);
    }

    /**
     * @param caPem CA that signed the members' server certificates
     * @param certPem client certificate etcd accepts
     * @param keyPem its PKCS#8 private key
     * @param endpoints https client URLs; asked again after each refused write
     * @param prefix key prefix, e.g. "/writer/"; nothing else should write under it
     * @param interval time between writes
     */
    public static NumberedWriter start(String caPem, String certPem, String keyPem,
            Supplier<List<String>> endpoints, String prefix, Duration interval) {
        EtcdTls fixed = new EtcdTls(caPem, certPem, keyPem);
        return start(() -> fixed, endpoints, prefix, interval);
    }

    /**
     * A writer that follows its credentials too: asked for again every half second, and
     * when they changed (a rotated CA, renewed certificates) every connection is dialled again with them.
     */
    public static NumberedWriter start(Supplier<EtcdTls> credentials, Supplier<List<String>> endpoints, String prefix,
            Duration interval) {
        return start(credentials, endpoints, prefix, interval, Outcomes.NONE);
    }

    /** As {@link #start(Supplier, Supplier, String, Duration)}, telling {@code outcomes} of every write. */
    public static NumberedWriter start(Supplier<EtcdTls> credentials, Supplier<List<String>> endpoints, String prefix,
            Duration interval, Outcomes outcomes) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix must not be empty");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        NumberedWriter writer = new NumberedWriter(credentials, endpoints, prefix, interval, outcomes);
        writer.thread.start();
        return writer;
    }

    /** How many writes etcd acknowledged. */
    public long acknowledged() {
        return acknowledged.size();
    }

    /** How many writes were sent, retries included. */
    public long attempted() {
        return attempted.get();
    }

    /**
     * The longest time from the start of a refused write to the next acknowledged one. A refusal that is
     * still going on counts up to now, so a writer that never recovers does not look healthy.
     */
    public synchronized Duration longestRefusal() {
        long longest = longestRefusalNanos;
        if (refused) {
            longest = Math.max(longest, System.nanoTime() - refusedSinceNanos);
        }
        return Duration.ofNanos(longest);
    }

    /** Stops writing and waits for a write in flight to finish (it is not cancelled, so it still counts). */
    public void stop() {
        stopping.countDown();
        try {
            thread.join(WRITE_TIMEOUT_MILLIS + TimeUnit.NANOSECONDS.toMillis(intervalNanos) + 3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("writer {} did not stop in time", prefix);
        }
    }

    /**
     * Reads every key under the prefix with linearizable reads and returns, in ascending order, the
     * numbers of acknowledged writes whose key is missing or holds another value. Acknowledgements are
     * taken before the read starts, so this may also be called while the writer runs.
     *
     * @throws IllegalStateException when no endpoint answered the read, or after {@link #close()}
     */
    public List<Long> missingAcknowledged() {
        List<Long> expected = new ArrayList<>(acknowledged);
        Map<Long, String> stored = readBack();
        List<Long> missing = new ArrayList<>();
        for (long n : expected) {
            if (!String.valueOf(n).equals(stored.get(n))) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            log.warn("writer {}: {} of {} acknowledged writes missing or changed, first {}", prefix,
                    missing.size(), expected.size(), missing.subList(0, Math.min(10, missing.size())));
        }
        return missing;
    }

    /** Stops writing and closes the channels. */
    @Override
    public void close() {
        stop();
        List<EndpointChannel> open;
        synchronized (channelLock) {
            closed = true;
            open = new ArrayList<>(channels.values());
            channels.clear();
        }
        open.forEach(EndpointChannel::close);
    }

    /** The key of write n; package-private so a test can tamper with one. */
    static String key(String prefix, long n) {
        return prefix + String.format("%08d", n);
    }

    private void run() {
        long nextTick = System.nanoTime();
        try {
            do {
                writeOnce();
                nextTick += intervalNanos;
                long now = System.nanoTime();
                if (nextTick < now) {
                    nextTick = now; // a slow write delays the ticks after it instead of causing a burst
                }
            } while (!stopping.await(nextTick - System.nanoTime(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("writer {} stopped: {} acknowledged of {} attempted, longest refusal {} ms", prefix,
                acknowledged(), attempted(), longestRefusal().toMillis());
    }

    private void writeOnce() {
        followCredentials();
        attempted.incrementAndGet();
        long started = System.nanoTime();
        if (endpoints.isEmpty()) {
            refusedFrom(started, "(none)", "no endpoints");
            endpoints = readEndpoints(endpoints);
            return;
        }
        String endpoint = endpoints.get(Math.floorMod(endpointIndex, endpoints.size()));
        PutRequest put = PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(key(prefix, number)))
                .setValue(ByteString.copyFromUtf8(String.valueOf(number)))
                .build();
        try {
            channel(endpoint).kv(Deadline.after(WRITE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).put(put);
        } catch (RuntimeException e) {
            if (e instanceof StatusRuntimeException && (Failures.unreachable(e) || Failures.timedOut(e))) {
                discard(endpoint); // a fresh dial next time beats gRPC's reconnect backoff
            }
            refusedFrom(started, endpoint, e instanceof StatusRuntimeException ? Failures.describe(e) : e.toString());
            // Move on to the member after the one that refused, in whatever the list now is.
            List<String> fresh = readEndpoints(endpoints);
            endpointIndex = fresh.indexOf(endpoint) + 1;
            endpoints = fresh;
            return;
        }
        acknowledged.add(number);
        number++;
        acceptedAgain(endpoint);
    }

    private void followCredentials() {
        if (System.nanoTime() - credentialsCheckedNanos < CREDENTIALS_CHECK_NANOS) {
            return;
        }
        credentialsCheckedNanos = System.nanoTime();
        EtcdTls fresh;
        try {
            fresh = credentialSource.get();
        } catch (RuntimeException e) {
            log.warn("writer {}: credentials supplier failed, keeping the current ones", prefix, e);
            return;
        }
        if (fresh.equals(credentials)) {
            return;
        }
        List<EndpointChannel> old;
        synchronized (channelLock) {
            credentials = fresh;
            ssl = ClientSslContext.build(fresh);
            old = new ArrayList<>(channels.values());
            channels.clear();
        }
        old.forEach(EndpointChannel::close);
        log.info("writer {}: credentials changed, connecting again with them", prefix);
    }

    private synchronized void refusedFrom(long started, String endpoint, String reason) {
        outcomes.refused(endpoint + ": " + reason);
        if (!refused) {
            refused = true;
            refusedSinceNanos = started;
            log.info("writer {}: write {} refused by {}: {}", prefix, number, endpoint, reason);
        } else {
            log.debug("writer {}: write {} refused by {}: {}", prefix, number, endpoint, reason);
        }
    }

    private synchronized void acceptedAgain(String endpoint) {
        outcomes.acknowledged();
        if (refused) {
            long window = System.nanoTime() - refusedSinceNanos;
            longestRefusalNanos = Math.max(longestRefusalNanos, window);
            refused = false;
            log.info("writer {}: writes acknowledged again by {} after {} ms", prefix, endpoint,
                    TimeUnit.NANOSECONDS.toMillis(window));
        }
    }

    /** The supplier's current list, or the old one if asking fails: the writer thread must not die. */
    private List<String> readEndpoints(List<String> previous) {
        try {
            return List.copyOf(endpointSource.get());
        } catch (RuntimeException e) {
            log.warn("writer {}: endpoint supplier failed, keeping {}", prefix, previous, e);
            return previous;
        }
    }

    private Map<Long, String> readBack() {
        List<String> failures = new ArrayList<>();
        for (String endpoint : readEndpoints(List.of())) {
            try {
                return readBack(endpoint);
            } catch (StatusRuntimeException e) {
                if (Failures.unreachable(e) || Failures.timedOut(e)) {
                    discard(endpoint);
                }
                failures.add(endpoint + ": " + Failures.describe(e));
            }
        }
        throw new IllegalStateException("writer " + prefix + ": no endpoint answered the read-back " + failures);
    }

    /**
     * Pages through the prefix. Each page is a linearizable read (serializable=false), so every write
     * acknowledged before this started is visible; pages need not share a revision because acknowledged
     * keys are only ever written with their own value.
     */
    private Map<Long, String> readBack(String endpoint) {
        ByteString start = ByteString.copyFromUtf8(prefix);
        ByteString end = prefixEnd(start);
        Map<Long, String> stored = new HashMap<>();
        RangeResponse page;
        do {
            RangeRequest range = RangeRequest.newBuilder()
                    .setKey(start).setRangeEnd(end).setLimit(READ_PAGE).setSerializable(false)
                    .setSortOrder(RangeRequest.SortOrder.ASCEND).setSortTarget(RangeRequest.SortTarget.KEY)
                    .build();
            page = channel(endpoint).kv(Deadline.after(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).range(range);
            for (KeyValue kv : page.getKvsList()) {
                String suffix = kv.getKey().toStringUtf8().substring(prefix.length());
                try {
                    stored.put(Long.parseLong(suffix), kv.getValue().toStringUtf8());
                } catch (NumberFormatException e) {
                    // not one of ours; only numbered keys are checked
                }
            }
            if (page.getKvsCount() > 0) {
                // The smallest key after the last one read.
                start = page.getKvs(page.getKvsCount() - 1).getKey().concat(ByteString.copyFrom(new byte[] {0}));
            }
        } while (page.getMore() && page.getKvsCount() > 0);
        return stored;
    }

    /** etcd's range end for "every key starting with prefix": the prefix with its last byte incremented. */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0}); // all 0xff: to the end of the keyspace
    }

    private EndpointChannel channel(String endpoint) {
        synchronized (channelLock) {
            if (closed) {
                throw new IllegalStateException("writer " + prefix + " is closed");
            }
            return channels.computeIfAbsent(endpoint, e -> new EndpointChannel(e, ssl, CHANNEL_TIMEOUT));
        }
    }

    private void discard(String endpoint) {
        EndpointChannel channel;
        synchronized (channelLock) {
            channel = channels.remove(endpoint);
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** For log lines and assertion messages. */
    @Override
    public String toString() {
        return "NumberedWriter[" + prefix + ", acknowledged " + acknowledged() + " of " + attempted() + "]";
    }
}
