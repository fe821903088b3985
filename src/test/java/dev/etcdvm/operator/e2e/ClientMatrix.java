package dev.etcdvm.operator.e2e;

import dev.etcdvm.operator.etcd.EtcdTls;
import dev.etcdvm.operator.etcd.NumberedWriter;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The programs that use a cluster, all at once and each with the consumer Secret only: etcdctl of both minor
 * versions, a gRPC (jetcd) writer, curl on the JSON gateway (put and range, a watch stream, a lease kept alive, a
 * compare-and-set transaction) and Patroni electing a PostgreSQL primary through the gateway. Each keeps a
 * {@link ClientLog}, so what it saw while the cluster changed under it can be told afterwards.
 */
final class ClientMatrix implements AutoCloseable {
    static final String CURL_PREFIX = "/matrix/curl/";
    static final String LEASED_KEY = "/matrix/leased";
    static final long LEASE_TTL_SECONDS = 10;
    private static final Duration PERIOD = Duration.ofMillis(500);

    private final Supplier<Secret> secret;
    private final ConsumerFiles files;
    private final ConsumerFiles patroniFiles;
    private final GatewayClient gateway;
    private final Map<String, ClientLog> logs = new LinkedHashMap<>();
    private final ScheduledExecutorService loops = Executors.newScheduledThreadPool(8, r -> {
        Thread t = new Thread(r, "client-matrix");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> curlAcknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong curlNumber = new AtomicLong();
    private final AtomicLong counterVersion = new AtomicLong();
    private final AtomicLong swapsAcknowledged = new AtomicLong();
    private NumberedWriter jetcd;
    private GatewayWatch watch;
    private PatroniPair patroni;
    private String leaseId;

    ClientMatrix(Supplier<Secret> secret, ConsumerFiles files, ConsumerFiles patroniFiles) {
        this.secret = secret;
        this.files = files;
        this.patroniFiles = patroniFiles;
        this.gateway = new GatewayClient(files);
    }

    /** Starts every client; Patroni's first node is the leader once this returns. */
    void start(Map<String, Path> etcdctlByVersion, Path patroniDir) {
        loops.scheduleWithFixedDelay(() -> {
            files.refresh();
            patroniFiles.refresh();
        }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        etcdctlByVersion.forEach((version, binary) -> {
            ClientLog log = log("etcdctl " + version);
            Etcdctl etcdctl = new Etcdctl(binary, files);
            AtomicLong n = new AtomicLong();
            every(PERIOD, () -> etcdctl.putAndGet("/matrix/etcdctl-" + version + "/" + n.incrementAndGet(), log));
        });
        ClientLog jetcdLog = log("jetcd (gRPC)");
        jetcd = NumberedWriter.start(this::credentials, files::endpoints, "/matrix/jetcd/", Duration.ofMillis(100),
                new NumberedWriter.Outcomes() {
                    @Override
                    public void acknowledged() {
                        jetcdLog.ok();
                    }

                    @Override
                    public void refused(String reason) {
                        jetcdLog.failed(reason);
                    }
                });
        // The watch starts before the first put, so every put it should see comes after its start revision.
        GatewayClient.Answer now = gateway.range(LEASED_KEY);
        if (!now.ok()) {
            throw new IllegalStateException("the gateway does not answer: " + now.refusals());
        }
        watch = new GatewayWatch(gateway, CURL_PREFIX, now.body().path("header").path("revision").asLong() + 1,
                log("curl watch stream"));
        ClientLog putLog = log("curl put+range");
        every(PERIOD, () -> putAndRange(putLog));
        leaseId = grantLease();
        ClientLog leaseLog = log("curl lease keepalive");
        every(Duration.ofSeconds(1), () -> keepAlive(leaseLog));
        ClientLog txnLog = log("curl txn (compare-and-set)");
        every(PERIOD, () -> compareAndSet(txnLog));
        patroni = new PatroniPair(patroniDir, patroniFiles, "matrix");
        patroni.start("node1");
        ClientLog leaderLog = log("patroni (leader held)");
        every(PERIOD, () -> patroni.leader().ifPresentOrElse(l -> leaderLog.ok(), () -> leaderLog.failed("no leader")));
    }

    PatroniPair patroni() {
        return patroni;
    }

    GatewayClient gateway() {
        return gateway;
    }

    Map<String, ClientLog> logs() {
        return logs;
    }

    Set<String> curlAcknowledged() {
        return Set.copyOf(curlAcknowledged);
    }

    Set<String> watched() {
        return watch.seen();
    }

    long swapsAcknowledged() {
        return swapsAcknowledged.get();
    }

    NumberedWriter jetcd() {
        return jetcd;
    }

    /** True once every client succeeded after {@code sinceNanos}. */
    boolean allSucceededSince(long sinceNanos) {
        ClientLog.Window since = new ClientLog.Window("since", sinceNanos, Long.MAX_VALUE);
        return logs.values().stream().allMatch(l -> l.successes(since) > 0);
    }

    /** Stops the clients (Patroni last, after the loops that watch it). */
    void stop() {
        loops.shutdownNow();
        try {
            loops.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (jetcd != null) {
            jetcd.stop();
        }
        if (watch != null) {
            watch.close();
        }
    }

    @Override
    public void close() {
        stop();
        if (jetcd != null) {
            jetcd.close();
        }
        if (patroni != null) {
            patroni.close();
        }
    }

    /** The table of what each client saw in each window: errors / longest stretch without a success. */
    String table(List<ClientLog.Window> windows) {
        StringBuilder out = new StringBuilder(String.format("%-28s", "client"));
        windows.forEach(w -> out.append(String.format(" | %-22s", w.name())));
        out.append(String.format("%n%-28s", ""));
        windows.forEach(w -> out.append(String.format(" | %-22s", "errors, longest gap")));
        for (ClientLog log : logs.values()) {
            out.append(String.format("%n%-28s", log.name()));
            windows.forEach(w -> out.append(String.format(" | %5d, %8d ms     ", log.errors(w),
                    log.longestGap(w).toMillis())));
        }
        List<String> firstErrors = new ArrayList<>();
        for (ClientLog log : logs.values()) {
            for (ClientLog.Window w : windows) {
                String error = log.firstError(w);
                if (!error.isEmpty()) {
                    firstErrors.add(log.name() + " in " + w.name() + ": "
                            + error.substring(0, Math.min(160, error.length())).replace('\n', ' '));
                }
            }
        }
        out.append(String.format("%nfirst error of each client in each window:%n  "))
                .append(firstErrors.isEmpty() ? "(none)" : String.join(String.format("%n  "), firstErrors));
        return out.toString();
    }

    private ClientLog log(String name) {
        ClientLog log = new ClientLog(name);
        logs.put(name, log);
        return log;
    }

    private void every(Duration period, Runnable attempt) {
        loops.scheduleWithFixedDelay(() -> {
            try {
                attempt.run();
            } catch (RuntimeException e) {
                // A client's own bug must show, not silently end its loop.
                System.err.println("client loop failed: " + e);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private EtcdTls credentials() {
        Secret s = secret.get();
        return new EtcdTls(decode(s, "ca.crt"), decode(s, "tls.crt"), decode(s, "tls.key"));
    }

    private void putAndRange(ClientLog log) {
        String key = CURL_PREFIX + String.format("%08d", curlNumber.incrementAndGet());
        GatewayClient.Answer put = gateway.put(key, "v");
        if (!put.ok()) {
            log.failed(String.join("; ", put.refusals()));
            return;
        }
        curlAcknowledged.add(key);
        GatewayClient.Answer range = gateway.range(key);
        if (range.ok() && range.body().path("count").asLong() == 1) {
            log.ok();
        } else {
            log.failed(range.ok() ? "read did not find its own write " + key : String.join("; ", range.refusals()));
        }
    }

    private String grantLease() {
        GatewayClient.Answer granted = gateway.grantLease(LEASE_TTL_SECONDS);
        if (!granted.ok()) {
            throw new IllegalStateException("lease grant refused: " + granted.refusals());
        }
        String id = granted.body().path("ID").asText();
        GatewayClient.Answer put = gateway.putWithLease(LEASED_KEY, "alive", id);
        if (!put.ok()) {
            throw new IllegalStateException("put with lease refused: " + put.refusals());
        }
        return id;
    }

    private void keepAlive(ClientLog log) {
        GatewayClient.Answer answer = gateway.keepAlive(leaseId);
        if (!answer.ok()) {
            log.failed(String.join("; ", answer.refusals()));
        } else if (answer.body().path("result").path("TTL").asLong(0) <= 0) {
            log.failed("lease " + leaseId + " is gone: " + answer.body());
        } else {
            log.ok();
        }
    }

    private void compareAndSet(ClientLog log) {
        long expected = counterVersion.get();
        GatewayClient.Answer answer = gateway.compareAndSet("/matrix/counter", expected, Long.toString(expected + 1));
        if (!answer.ok()) {
            log.failed(String.join("; ", answer.refusals()));
            return;
        }
        if (answer.body().path("succeeded").asBoolean(false)) {
            counterVersion.set(expected + 1);
            swapsAcknowledged.incrementAndGet();
        } else {
            // Another outcome than expected (a retried swap that had landed): learn the version and go on.
            counterVersion.set(answer.body().path("responses").path(0).path("response_range").path("kvs").path(0)
                    .path("version").asLong(0));
        }
        log.ok();
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    /** One etcdctl binary, run per attempt with the Secret's files as they are now. */
    private record Etcdctl(Path binary, ConsumerFiles files) {
        void putAndGet(String key, ClientLog log) {
            String endpoints = String.join(",", files.endpoints());
            List<String> base = List.of(binary.toString(), "--endpoints=" + endpoints,
                    "--cacert=" + files.path("ca.crt"), "--cert=" + files.path("tls.crt"),
                    "--key=" + files.path("tls.key"), "--dial-timeout=2s", "--command-timeout=3s");
            String put = run(base, "put", key, "v");
            if (!put.isEmpty()) {
                log.failed(put);
                return;
            }
            String get = run(base, "get", key, "--print-value-only");
            if (get.isEmpty()) {
                log.ok();
            } else {
                log.failed(get);
            }
        }

        /** Empty when the command succeeded, else what it said. */
        private static String run(List<String> base, String... args) {
            List<String> command = new ArrayList<>(base);
            command.addAll(List.of(args));
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                builder.environment().put("ETCDCTL_API", "3");
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return "timed out";
                }
                return process.exitValue() == 0 ? "" : out.isEmpty() ? "exit " + process.exitValue() : out;
            } catch (IOException e) {
                return e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }
}
