package dev.etcdvm.operator.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/** An authenticated SSH session to one machine; shared by the callers of the pool. */
public final class RemoteHost {
    private final SshEndpoint endpoint;
    private final ClientSession session;
    private final String hostKeyFingerprint;
    /**
     * Bound for opening a channel, one round trip: the login's connect timeout. On a session to a machine
     * that crashed or was cut off, keepalives take close to a minute to notice; a command's own timeout
     * can be longer still.
     */
    private final Duration answerTimeout;
    private final SshActivity activity;

    RemoteHost(SshEndpoint endpoint, ClientSession session, String hostKeyFingerprint, Duration answerTimeout,
            SshActivity activity) {
        this.endpoint = endpoint;
        this.answerTimeout = answerTimeout;
        this.session = session;
        this.hostKeyFingerprint = hostKeyFingerprint;
        this.activity = activity;
    }

    public SshEndpoint endpoint() {
        return endpoint;
    }

    public String hostKeyFingerprint() {
        return hostKeyFingerprint;
    }

    void close() {
        session.close(true);
    }

    boolean isOpen() {
        return session.isOpen() && !session.isClosing();
    }

    /**
     * Writes a file as the login user over SFTP. Callers stage into a private directory and move the
     * file into place with a privileged command, so the final replace is atomic and owned right.
     */
    public void upload(String remotePath, InputStream content, Duration timeout) throws HostAccessException {
        upload(Map.of(remotePath, content), timeout);
    }

    /** Writes several files through one SFTP session (each session costs round trips of its own). */
    public void upload(Map<String, InputStream> files, Duration timeout) throws HostAccessException {
        String current = null;
        // SFTP writes wait on the peer without a bound of their own: at the deadline the session is closed, which
        // ends the upload, so a machine cut off mid-upload holds a pass no longer than the timeout.
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> session.close(true), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            for (Map.Entry<String, InputStream> file : files.entrySet()) {
                current = file.getKey();
                try (OutputStream out = sftp.write(current, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                        SftpClient.OpenMode.Truncate, SftpClient.OpenMode.Exclusive)) {
                    file.getValue().transferTo(out);
                }
            }
            activity.commandRan("sftp upload", Duration.ofNanos(System.nanoTime() - started), "ok");
        } catch (IOException e) {
            activity.commandRan("sftp upload", Duration.ofNanos(System.nanoTime() - started), "error");
            boolean late = deadline.isDone();
            throw new HostAccessException(late ? HostAccessException.Kind.Timeout : HostAccessException.Kind.Protocol,
                    "upload" + (current == null ? "" : " of " + current) + " to " + endpoint.host()
                            + (late ? " did not finish within " + timeout.toSeconds() + "s" : " failed: " + e.getMessage()), e);
        } finally {
            deadline.cancel(false);
        }
    }

    /** One daemon thread that closes sessions whose uploads overran their deadline. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ssh-upload-deadlines");
        t.setDaemon(true);
        return t;
    });

    /** Runs a command and returns its exit status; a non-zero exit is a result, not an exception. */
    public ExecResult exec(RemoteCommand command, Duration timeout) throws HostAccessException {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            ExecResult result = run(command, timeout);
            outcome = result.succeeded() ? "ok" : "failed";
            return result;
        } finally {
            activity.commandRan(command.label(), Duration.ofNanos(System.nanoTime() - started), outcome);
        }
    }

    private ExecResult run(RemoteCommand command, Duration timeout) throws HostAccessException {
        String line = command.render(endpoint.isRoot());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Duration openWithin = timeout.compareTo(answerTimeout) < 0 ? timeout : answerTimeout;
        try (ChannelExec channel = session.createExecChannel(line)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(openWithin);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                // A command that hangs usually means a dead peer: drop the session so the next
                // attempt reconnects instead of waiting on it again.
                session.close(true);
                throw new HostAccessException(HostAccessException.Kind.Timeout,
                        "`" + command + "` on " + endpoint.host() + " did not finish within " + timeout.toSeconds() + "s");
            }
            Integer status = channel.getExitStatus();
            ExecResult result = new ExecResult(status == null ? -1 : status,
                    out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            if (command.privileged() && !endpoint.isRoot() && result.exitCode() == 1
                    && result.stderr().contains("sudo:") && result.stderr().contains("password")) {
                throw new HostAccessException(HostAccessException.Kind.SudoDenied,
                        "user " + endpoint.user() + " on " + endpoint.host() + " may not run `sudo -n` without a password");
            }
            return result;
        } catch (IOException e) {
            // The session cannot be trusted after a failed channel: drop it so the next call reconnects.
            session.close(true);
            boolean timedOut = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("timeout");
            throw new HostAccessException(timedOut ? HostAccessException.Kind.Timeout : HostAccessException.Kind.Protocol,
                    "`" + command + "` on " + endpoint.host() + (timedOut ? " got no answer within "
                            + openWithin.toSeconds() + "s" : " failed: " + e.getMessage()), e);
        }
    }
}
