package dev.etcdvm.operator.ssh;

import dev.etcdvm.operator.ssh.HostAccessException.Kind;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The operator's one SSH client. Sessions are kept per (endpoint, identity, trust material) and
 * reused while alive, so a steady-state pass opens no new connection.
 */
public final class SshConnector implements AutoCloseable {
    /** Per-connection state the shared verifier needs: whom we meant to reach and how to judge its key. */
    private record Attempt(SshEndpoint endpoint, HostKeyTrust trust, AtomicReference<HostKeyVerdict> verdict) {
    }

    private static final AttributeKey<Attempt> ATTEMPT = new AttributeKey<>();

    private final SshClient client;
    private final Map<String, RemoteHost> sessions = new ConcurrentHashMap<>();
    private final AtomicLong sessionsOpened = new AtomicLong();
    private final PhaseTimings timings;
    private final SshActivity activity;

    public SshConnector(Duration keepAlive, PhaseTimings timings) {
        this(keepAlive, timings, SshActivity.NONE);
    }

    /** @param activity told of every remote command, for metrics */
    public SshConnector(Duration keepAlive, PhaseTimings timings, SshActivity activity) {
        this.timings = timings;
        this.activity = activity;
        client = SshClient.setUpDefaultClient();
        // keepalive@openssh.com with a reply: a peer that stops answering closes the session, so a
        // cached session to a crashed or partitioned machine is not mistaken for a live one.
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, keepAlive);
        CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        client.setServerKeyVerifier(SshConnector::verify);
        client.start();
    }

    private static boolean verify(ClientSession session, SocketAddress remote, PublicKey key) {
        AttributeRepository context = session.getConnectionContext();
        Attempt attempt = context == null ? null : context.getAttribute(ATTEMPT);
        if (attempt == null) {
            return false; // a connection we did not open: never trusted
        }
        HostKeyVerdict verdict = attempt.trust().verify(attempt.endpoint().host(), attempt.endpoint().port(), key);
        attempt.verdict().set(verdict);
        return verdict.trusted();
    }

    /** Returns a live authenticated session, opening one only when none is alive. */
    public RemoteHost open(SshEndpoint endpoint, SshIdentity identity, HostKeyTrust trust, Duration timeout)
            throws HostAccessException {
        String key = endpoint + "|" + identity.fingerprint() + "|" + trust.version();
        RemoteHost existing = sessions.get(key);
        if (existing != null && existing.isOpen()) {
            return existing;
        }
        RemoteHost fresh = connect(endpoint, identity, trust, timeout);
        RemoteHost replaced = sessions.put(key, fresh);
        if (replaced != null) {
            replaced.close();
        }
        return fresh;
    }

    /** Number of SSH sessions opened since start (reported by the benchmark, tests and metrics). */
    public long sessionsOpened() {
        return sessionsOpened.get();
    }

    /** Sessions open now (one per machine at most, reused across passes). */
    public long sessionsOpen() {
        return sessions.values().stream().filter(RemoteHost::isOpen).count();
    }

    private RemoteHost connect(SshEndpoint endpoint, SshIdentity identity, HostKeyTrust trust, Duration timeout)
            throws HostAccessException {
        Attempt attempt = new Attempt(endpoint, trust, new AtomicReference<>());
        PhaseTimings.Stopwatch stopwatch = timings.start("connect");
        String where = endpoint.host() + ":" + endpoint.port();
        ClientSession session;
        try {
            session = client.connect(endpoint.user(), endpoint.host(), endpoint.port(),
                    AttributeRepository.ofKeyValuePair(ATTEMPT, attempt), null).verify(timeout).getSession();
        } catch (IOException e) {
            throw connectFailure(where, e);
        }
        sessionsOpened.incrementAndGet();
        try {
            session.addPublicKeyIdentity(identity.keyPair());
            session.auth().verify(timeout);
            stopwatch.stop();
            return new RemoteHost(endpoint, session, attempt.verdict().get().presentedFingerprint(), timeout, activity);
        } catch (IOException e) {
            session.close(true);
            throw loginFailure(endpoint, identity, attempt.verdict().get(), e);
        }
    }

    private static HostAccessException connectFailure(String where, IOException e) {
        Throwable root = rootCause(e);
        if (root instanceof ConnectException || root instanceof NoRouteToHostException
                || root instanceof UnknownHostException) {
            return new HostAccessException(Kind.Unreachable, "cannot connect to " + where + ": " + root.getMessage(), e);
        }
        return new HostAccessException(Kind.Timeout, "no TCP connection to " + where + " in time", e);
    }

    /** The key exchange and the login happen after connect; the verdict tells which of them failed. */
    private static HostAccessException loginFailure(SshEndpoint endpoint, SshIdentity identity,
            HostKeyVerdict verdict, IOException e) {
        String where = endpoint.host() + ":" + endpoint.port();
        if (verdict == null) {
            return new HostAccessException(Kind.Timeout, "no SSH handshake with " + where + " in time", e);
        }
        if (!verdict.trusted()) {
            return new HostAccessException(Kind.HostKeyRejected, verdict.detail(), e);
        }
        return new HostAccessException(Kind.AuthenticationFailed, where + " refused key " + identity.fingerprint()
                + " for user " + endpoint.user(), e);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    @Override
    public void close() {
        sessions.values().forEach(RemoteHost::close);
        sessions.clear();
        client.stop();
    }
}
