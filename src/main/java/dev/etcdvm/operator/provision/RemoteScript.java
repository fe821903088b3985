package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.ssh.RemoteCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-step remote operations, each a POSIX sh script kept as a resource under {@code scripts/} with a header
 * saying its arguments, exit codes and what it proves before acting (shellchecked in the tests). Values never become
 * part of a script's text: they are passed as positional arguments ("$1"...), each single-quoted by RemoteCommand,
 * so a hostile value stays data. Keeping the steps in one script saves round trips.
 *
 * <p>A line {@code #@include lib/NAME.sh} stands for that file (the machine's lock every changing script takes first,
 * the claim check it makes next, the strict marker check every destructive script starts with, the snapshot
 * functions). Header comments are left out of
 * the text sent: the files are for reading.
 *
 * <p>Every script runs under {@code timeout}, a little past its caller's own timeout: SSH does not stop a remote
 * command when its channel goes away, so a script whose operator was killed or gave up would otherwise run on.
 */
enum RemoteScript {
    PROBE("probe", Kind.READS),
    LAYOUT("layout", Kind.CHANGES),
    SERVICE("service", Kind.CHANGES),
    INSTALL_FILES("install-files", Kind.CHANGES),
    INSTALL_RELEASE("install-release", Kind.CHANGES),
    RESTART("restart", Kind.CHANGES),
    ARCHIVE_DATA("archive-data", Kind.CHANGES),
    RETIRE("retire", Kind.CHANGES),
    RESTORE("restore", Kind.CHANGES),
    RECOVER("recover", Kind.CHANGES),
    MARK_DATA("mark-data", Kind.CHANGES),
    DRILL("drill", Kind.CHANGES),
    STAGE("stage", Kind.STAGES);

    /** What a script may do, and so how it is run. */
    enum Kind {
        /** Reads the machine as root, changes nothing. */
        READS,
        /** Changes the machine as root, holding its lock (lib/lock.sh). */
        CHANGES,
        /** Works in the login user's own staging area, unprivileged. */
        STAGES
    }

    /** Exit code of a destructive script that found the machine is not this cluster's: it changed nothing. */
    static final int EXIT_NOT_OWNED = 6;
    /** Exit code when the release has no checksum for the asset. */
    static final int EXIT_NO_CHECKSUM = 3;
    /** Exit code when the downloaded or pushed tarball does not match its checksum. */
    static final int EXIT_CHECKSUM_MISMATCH = 4;
    /** Exit code when the download itself failed. */
    static final int EXIT_DOWNLOAD_FAILED = 5;
    /** Exit code of the staging script when the disk has not the room asked for. */
    static final int EXIT_NO_ROOM = 8;
    /** Exit code of a changing script when another actor held the machine's lock for longer than it waits. */
    static final int EXIT_BUSY = 7;
    /** Exit codes of {@code timeout} when it stopped a script that ran past its deadline (TERM, then KILL). */
    static final List<Integer> EXIT_DEADLINE = List.of(124, 137);
    /** Seconds a script waits for another actor's lock before it gives up (exit 7). */
    static final int LOCK_WAIT_SECONDS = 15;
    /** Seconds a script may outlive the caller's own timeout before {@code timeout} stops it. */
    private static final long DEADLINE_MARGIN_SECONDS = 5;

    private static final String INCLUDE = "#@include ";

    private final String name;
    private final Kind kind;
    private final String text;

    RemoteScript(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
        this.text = assemble(name + ".sh");
    }

    boolean changes() {
        return kind == Kind.CHANGES;
    }

    /** The script's file name under {@code scripts/}. */
    String file() {
        return name + ".sh";
    }

    /** What is sent: the file without its header, includes in place. */
    String text() {
        return text;
    }

    /**
     * A reading script, run as root ({@code sudo -n} for a non-root login) with these positional arguments, under a
     * deadline: a script whose caller is gone (timed out, killed) stops by itself.
     */
    RemoteCommand reading(Duration timeout, List<String> args) {
        require(Kind.READS);
        return command(timeout, args, true);
    }

    /**
     * A changing script, run like a reading one, that first takes the machine's lock as {@code actor}, waiting
     * {@link #LOCK_WAIT_SECONDS} for another actor at most (lib/lock.sh), then refuses a machine whose marker names
     * another cluster than the actor's (lib/claim.sh).
     */
    RemoteCommand changing(MachineActor actor, Duration timeout, List<String> args) {
        require(Kind.CHANGES);
        List<String> all = new ArrayList<>(List.of(HostLayout.LOCK_FILE, actor.label(),
                Integer.toString(LOCK_WAIT_SECONDS), HostLayout.MARKER_FILE, actor.clusterUid()));
        all.addAll(args);
        return command(timeout, all, true);
    }

    /** The staging script, as the login user, under a deadline. */
    RemoteCommand staging(Duration timeout, List<String> args) {
        require(Kind.STAGES);
        return command(timeout, args, false);
    }

    private RemoteCommand command(Duration timeout, List<String> args, boolean privileged) {
        long deadline = (timeout.toMillis() + 999) / 1000 + DEADLINE_MARGIN_SECONDS;
        List<String> argv = new ArrayList<>(List.of("timeout", "-k", "5", Long.toString(deadline), "sh", "-c", text,
                "sh"));
        argv.addAll(args);
        return new RemoteCommand(argv, privileged, name + " script");
    }

    private void require(Kind wanted) {
        if (kind != wanted) {
            throw new IllegalStateException(file() + " " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + ", it is not run as one that " + wanted.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The file as it is stored, header included. */
    static String source(String file) {
        try (InputStream in = RemoteScript.class.getResourceAsStream("scripts/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no script resource " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String assemble(String file) {
        List<String> lines = new ArrayList<>();
        for (String line : withoutHeader(source(file))) {
            if (line.startsWith(INCLUDE)) {
                List<String> included = withoutHeader(source(line.substring(INCLUDE.length()).trim()));
                lines.addAll(included.subList(0, trailingBlank(included)));
            } else {
                lines.add(line);
            }
        }
        return String.join("\n", lines);
    }

    /** The lines after the leading comment block (shebang and header); an include ends the block. */
    private static List<String> withoutHeader(String source) {
        List<String> lines = List.of(source.split("\n", -1));
        int first = 0;
        while (first < lines.size() && lines.get(first).startsWith("#") && !lines.get(first).startsWith(INCLUDE)) {
            first++;
        }
        return lines.subList(first, lines.size());
    }

    private static int trailingBlank(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isEmpty()) {
            end--;
        }
        return end;
    }
}
