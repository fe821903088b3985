package dev.etcdvm.operator.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberPromoteRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.netty.handler.ssl.SslContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EtcdCluster} over gRPC with a TLS client certificate, using jetcd's generated etcd v3 API
 * ({@code io.etcd.jetcd.api}) on plain grpc-netty channels.
 *
 * <p>Why not jetcd's {@code Client}: jetcd-core 0.8.6 dials through vertx-grpc 5, which needs Vert.x 5,
 * while Fabric8 7.5.2 puts Vert.x 4.5 on the classpath; the client then fails at its first call
 * (NoClassDefFoundError io/vertx/core/net/ClientSSLOptions). The generated stubs need only gRPC, and
 * owning the channels lets close() wait until they have really stopped.
 *
 * <p>One channel per endpoint, opened on first use and reused. Per-endpoint calls (health, status,
 * move-leader) go to that endpoint only. Cluster-wide calls (member list, alarms, membership changes)
 * go to the endpoint that last answered one, and move on to the next when a member cannot be reached;
 * etcd forwards membership changes to the leader itself. A channel whose member could not be reached
 * is dropped and dialled afresh next time, so a member that comes back is seen at once instead of
 * after gRPC's reconnect backoff (up to two minutes).
 *
 * <p>Every call, including a cluster-wide call with its fail-over, is bounded by the timeout. Thread-safe.
 * Nothing connects until the first call.
 */
public final class JetcdCluster implements EtcdCluster, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JetcdCluster.class);
    private static final ByteString HEALTH_KEY = ByteString.copyFromUtf8("health");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One RPC against one member, within the given deadline. */
    @FunctionalInterface
    private interface Rpc<T> {
        T call(EndpointChannel channel, Deadline deadline);
    }

    private final List<String> endpoints;
    private final String endpointList;
    private final Duration timeout;
    private final SslContext ssl;
    /** For etcd's plain HTTPS endpoints (/version): one client, so its connections are reused pass after pass. */
    private final HttpClient http;
    private final Object lock = new Object();
    private final Map<String, EndpointChannel> channels = new HashMap<>();
    private boolean closed;
    private final EtcdCalls calls;

    /** Index in {@link #endpoints} of the member that answered the last cluster-wide call. */
    private volatile int preferred;

    /**
     * @param clientEndpoints https URLs of the members' client listeners, e.g. "https://10.0.0.1:2379"
     * @param timeout bound for each call
     * @throws EtcdException when the TLS material is unusable (the message never shows it)
     */
    public JetcdCluster(List<String> clientEndpoints, EtcdTls tls, Duration timeout) {
        this(clientEndpoints, tls, timeout, EtcdCalls.NONE);
    }

    /** @param calls told of every call's operation, outcome and duration */
    public JetcdCluster(List<String> clientEndpoints, EtcdTls tls, Duration timeout, EtcdCalls calls) {
        this.calls = calls;
        if (clientEndpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoints");
        }
        clientEndpoints.forEach(JetcdCluster::requireHttps);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.endpoints = List.copyOf(clientEndpoints);
        this.endpointList = String.join(",", endpoints);
        this.timeout = timeout;
        this.ssl = ClientSslContext.build(tls);
        this.http = HttpClient.newBuilder().sslContext(ClientSslContext.jdk(tls)).connectTimeout(timeout).build();
    }

    public List<String> endpoints() {
        return endpoints;
    }

    @Override
    public List<EtcdMember> members() {
        return onClusterRead("etcd.memberList", (c, d) -> c.cluster(d).memberList(MemberListRequest.getDefaultInstance()))
                .getMembersList().stream().map(JetcdCluster::member).toList();
    }

    @Override
    public EndpointStatus status(String endpoint) {
        StatusResponse r = onEndpoint("etcd.status", endpoint,
                (c, d) -> c.maintenance(d).status(StatusRequest.getDefaultInstance()));
        return new EndpointStatus(endpoint, r.getHeader().getMemberId(), r.getHeader().getClusterId(), r.getVersion(),
                r.getDbSize(), r.getDbSizeInUse(), r.getLeader(), r.getRaftTerm(), r.getRaftIndex(),
                r.getRaftAppliedIndex(), r.getIsLearner(), r.getErrorsList(), r.getHeader().getRevision());
    }

    @Override
    public SnapshotInfo snapshot(String endpoint, OutputStream sink, Duration within) {
        requireHttps(endpoint);
        EndpointChannel channel = channel("etcd.snapshot", endpoint);
        TrailerCheck check = new TrailerCheck(sink);
        // etcd's snapshot messages carry no revision: the member's revision just before is a lower bound.
        long revision = onEndpoint("etcd.status", endpoint,
                (c, d) -> c.maintenance(d).status(StatusRequest.getDefaultInstance())).getHeader().getRevision();
        // The stream runs in its own cancellable context: when the sink fails (the store went away), the call is
        // cancelled at once rather than left to etcd until the deadline.
        Context.CancellableContext stream = Context.current().withCancellation();
        Context previous = stream.attach();
        try {
            Iterator<SnapshotResponse> parts = channel.maintenance(Deadline.after(within.toMillis(), TimeUnit.MILLISECONDS))
                    .snapshot(SnapshotRequest.getDefaultInstance());
            while (parts.hasNext()) {
                parts.next().getBlob().writeTo(check);
            }
            check.flush();
        } catch (StatusRuntimeException e) {
            if (Failures.unreachable(e) || Failures.timedOut(e)) {
                discard(channel);
            }
            throw new EtcdException("etcd.snapshot", endpoint, Failures.describe(e), e);
        } catch (IOException e) {
            throw new EtcdException("etcd.snapshot", endpoint, "the snapshot could not be written on: " + e.getMessage(), e);
        } finally {
            stream.detach(previous);
            stream.cancel(null);
        }
        String sha256 = check.verified().orElseThrow(() -> new SnapshotCorruptException(endpoint,
                "snapshot of " + check.written() + " bytes does not end in the SHA-256 of its database"));
        return new SnapshotInfo(endpoint, check.written(), sha256, revision);
    }

    @Override
    public String clusterVersion(String endpoint) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/version")).timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String version = response.statusCode() == 200
                    ? JSON.readTree(response.body()).path("etcdcluster").asText("") : "";
            if (version.isEmpty() || "not_decided".equals(version)) {
                throw new EtcdException("etcd.version", endpoint, "no cluster version in " + response.statusCode()
                        + " answer", null);
            }
            return version;
        } catch (IOException e) {
            throw new EtcdException("etcd.version", endpoint, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("etcd.version", endpoint, "interrupted", e);
        }
    }

    /**
     * Like {@code etcdctl endpoint health}: a linearizable read of key "health" on this endpoint. It goes
     * through the leader's read index, so it proves the member is part of a working quorum; a missing
     * key is still a healthy answer.
     */
    @Override
    public EndpointHealth health(String endpoint) {
        long start = System.nanoTime();
        try {
            onEndpoint("etcd.health", endpoint,
                    (c, d) -> c.kv(d).range(RangeRequest.newBuilder().setKey(HEALTH_KEY).setSerializable(false).build()));
            return EndpointHealth.healthy(endpoint, Duration.ofNanos(System.nanoTime() - start));
        } catch (EtcdException e) {
            return EndpointHealth.unhealthy(endpoint, Duration.ofNanos(System.nanoTime() - start), e.getMessage());
        }
    }

    @Override
    public List<EtcdAlarm> alarms() {
        AlarmRequest get = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build();
        return onClusterRead("etcd.alarmList", (c, d) -> c.maintenance(d).alarm(get))
                .getAlarmsList().stream().map(JetcdCluster::alarm).toList();
    }

    @Override
    public void defragment(String endpoint, Duration within) {
        onEndpoint("etcd.defragment", endpoint, within,
                (c, d) -> c.maintenance(d).defragment(DefragmentRequest.getDefaultInstance()));
    }

    @Override
    public void compact(long revision) {
        CompactionRequest compact = CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build();
        onCluster("etcd.compact", (c, d) -> c.kv(d).compact(compact));
    }

    @Override
    public List<EtcdAlarm> disarm(String type) {
        List<EtcdAlarm> disarmed = new ArrayList<>();
        for (EtcdAlarm alarm : alarms()) {
            if (alarm.type().equals(type)) {
                AlarmRequest off = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                        .setMemberID(alarm.memberId()).setAlarm(AlarmType.valueOf(type)).build();
                onCluster("etcd.alarmDisarm", (c, d) -> c.maintenance(d).alarm(off));
                disarmed.add(alarm);
            }
        }
        return disarmed;
    }

    @Override
    public EtcdMember addLearner(List<String> peerUrls) {
        peerUrls.forEach(URI::create);
        MemberAddRequest add = MemberAddRequest.newBuilder().addAllPeerURLs(peerUrls).setIsLearner(true).build();
        EtcdMember added = member(onCluster("etcd.memberAddLearner", (c, d) -> c.cluster(d).memberAdd(add)).getMember());
        log.info("etcd member {} added as learner with peer URLs {}", added.hexId(), peerUrls);
        return added;
    }

    @Override
    public void promote(long memberId) {
        MemberPromoteRequest promote = MemberPromoteRequest.newBuilder().setID(memberId).build();
        onCluster("etcd.memberPromote " + EtcdMember.hex(memberId), (c, d) -> c.cluster(d).memberPromote(promote));
        log.info("etcd member {} promoted to voting member", EtcdMember.hex(memberId));
    }

    @Override
    public void remove(long memberId) {
        MemberRemoveRequest remove = MemberRemoveRequest.newBuilder().setID(memberId).build();
        // Asked to remove itself, a member applies the removal and stops before it answers ("server
        // stopped"): the change happened but reads as a failure. Ask another member first.
        Set<String> itself = members().stream().filter(m -> m.id() == memberId)
                .flatMap(m -> m.clientUrls().stream()).collect(Collectors.toSet());
        onCluster("etcd.memberRemove " + EtcdMember.hex(memberId), (c, d) -> c.cluster(d).memberRemove(remove), false,
                itself);
        log.info("etcd member {} removed", EtcdMember.hex(memberId));
    }

    @Override
    public void moveLeader(long toMemberId) {
        String operation = "etcd.moveLeader to " + EtcdMember.hex(toMemberId);
        String leader = new LeaderFinder(this, endpoints, operation).leaderEndpoint();
        MoveLeaderRequest move = MoveLeaderRequest.newBuilder().setTargetID(toMemberId).build();
        onEndpoint(operation, leader, (c, d) -> c.maintenance(d).moveLeader(move));
        log.info("etcd leadership moved to {}", EtcdMember.hex(toMemberId));
    }

    private <T> T onEndpoint(String operation, String endpoint, Rpc<T> rpc) {
        return onEndpoint(operation, endpoint, timeout, rpc);
    }

    /** One endpoint, with a deadline of its own (a defragmentation takes longer than any other call). */
    private <T> T onEndpoint(String operation, String endpoint, Duration within, Rpc<T> rpc) {
        return metered(operation, () -> {
            requireHttps(endpoint);
            EndpointChannel channel = channel(operation, endpoint);
            try {
                return rpc.call(channel, Deadline.after(within.toMillis(), TimeUnit.MILLISECONDS));
            } catch (StatusRuntimeException e) {
                if (Failures.unreachable(e) || Failures.timedOut(e)) {
                    discard(channel);
                }
                throw new EtcdException(operation, endpoint, Failures.describe(e), e);
            }
        });
    }

    /** Tells {@link #calls} how the call went: its outcome and how long it took. */
    private <T> T metered(String operation, java.util.function.Supplier<T> call) {
        long started = System.nanoTime();
        String outcome = "failed";
        try {
            T result = call.get();
            outcome = "ok";
            return result;
        } finally {
            calls.called(operation, outcome, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Tries members in turn, starting with the last that answered, all within one deadline. */
    private <T> T onCluster(String operation, Rpc<T> rpc) {
        return onCluster(operation, rpc, false, Set.of());
    }

    /**
     * A read may also move on from a member that does not answer in time: asking twice changes nothing.
     * Each member then gets half the timeout, so a crashed member that silently drops packets (the
     * one that answered last, say) cannot use up the whole deadline of a member list.
     */
    private <T> T onClusterRead(String operation, Rpc<T> rpc) {
        return onCluster(operation, rpc, true, Set.of());
    }

    /** @param last endpoints asked only after every other one failed to answer */
    private <T> T onCluster(String operation, Rpc<T> rpc, boolean read, Set<String> last) {
        return metered(operation, () -> onClusterUnmetered(operation, rpc, read, last));
    }

    private <T> T onClusterUnmetered(String operation, Rpc<T> rpc, boolean read, Set<String> last) {
        Deadline deadline = Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS);
        int first = preferred;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            order.add((first + i) % endpoints.size());
        }
        order.sort(Comparator.comparing(i -> last.contains(endpoints.get(i))));
        List<String> unreachable = new ArrayList<>();
        for (int i = 0; i < order.size() && !deadline.isExpired(); i++) {
            int index = order.get(i);
            EndpointChannel channel = channel(operation, endpoints.get(index));
            try {
                Deadline attempt = read ? Deadline.after(timeout.toMillis() / 2, TimeUnit.MILLISECONDS).minimum(deadline)
                        : deadline;
                T result = rpc.call(channel, attempt);
                preferred = index;
                return result;
            } catch (StatusRuntimeException e) {
                boolean timedOut = Failures.timedOut(e);
                if (!Failures.unreachable(e) && !(read && timedOut)) {
                    // A write that timed out may still have been applied: never repeat it elsewhere.
                    if (timedOut) {
                        discard(channel);
                        preferred = (index + 1) % endpoints.size(); // let the next pass start elsewhere
                    }
                    throw new EtcdException(operation, channel.endpoint(), Failures.describe(e), e);
                }
                discard(channel);
                unreachable.add(channel.endpoint() + ": " + Failures.describe(e));
            }
        }
        throw new EtcdException(operation, endpointList, unreachable.isEmpty()
                ? "no answer within " + timeout.toMillis() + " ms" : "no member reachable " + unreachable, null);
    }

    private EndpointChannel channel(String operation, String endpoint) {
        synchronized (lock) {
            if (closed) {
                throw new EtcdException(operation, endpoint, "client is closed", null);
            }
            return channels.computeIfAbsent(endpoint, e -> new EndpointChannel(e, ssl, timeout));
        }
    }

    private void discard(EndpointChannel channel) {
        synchronized (lock) {
            channels.remove(channel.endpoint(), channel);
        }
        channel.close();
    }

    /** Closes every channel and waits until each has terminated; later calls fail with "client is closed". */
    @Override
    public void close() {
        List<EndpointChannel> open;
        synchronized (lock) {
            closed = true;
            open = new ArrayList<>(channels.values());
            channels.clear();
        }
        open.forEach(EndpointChannel::close);
    }

    @Override
    public String toString() {
        return "JetcdCluster" + endpoints;
    }

    static void requireHttps(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("etcd endpoint is not a URL: " + endpoint);
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("etcd endpoint must look like https://host:port, got " + endpoint);
        }
    }

    private static EtcdMember member(Member m) {
        return new EtcdMember(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList(), m.getIsLearner());
    }

    /** jetcd's proto enum predates CORRUPT, so the wire value is read instead (etcd's rpc.proto: 1, 2). */
    private static EtcdAlarm alarm(AlarmMember a) {
        String type = switch (a.getAlarmValue()) {
            case 1 -> "NOSPACE";
            case 2 -> "CORRUPT";
            default -> "UNKNOWN(" + a.getAlarmValue() + ")";
        };
        return new EtcdAlarm(a.getMemberID(), type);
    }
}
