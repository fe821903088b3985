package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.ssh.RemoteCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-step remote operations, each a POSIX sh script kept as a resource under {@code scripts/} with a header
 * saying its arguments, exit codes and what it proves before acting (shellchecked in the tests). Values never become
 * part of a script's text: they are passed as positional arguments ("$1"...), each single-quoted by RemoteCommand,
 * so a hostile value stays data. Keeping the steps in one script saves round trips.
 *
 * <p>A line {@code #@include lib/NAME.sh} stands for that file (the marker check every destructive script starts
 * with, the snapshot functions). Header comments are left out of the text sent: the files are for reading.
 */
enum RemoteScript {
    PROBE("probe"),
    LAYOUT("layout"),
    SERVICE("service"),
    INSTALL_FILES("install-files"),
    INSTALL_RELEASE("install-release"),
    RESTART("restart"),
    ARCHIVE_DATA("archive-data"),
    RETIRE("retire"),
    RESTORE("restore"),
    RECOVER("recover"),
    MARK_DATA("mark-data"),
    DRILL("drill");

    /** Exit code of a destructive script that found the machine is not this cluster's: it changed nothing. */
    static final int EXIT_NOT_OWNED = 6;
    /** Exit code when the release has no checksum for the asset. */
    static final int EXIT_NO_CHECKSUM = 3;
    /** Exit code when the downloaded or pushed tarball does not match its checksum. */
    static final int EXIT_CHECKSUM_MISMATCH = 4;
    /** Exit code when the download itself failed. */
    static final int EXIT_DOWNLOAD_FAILED = 5;

    private static final String INCLUDE = "#@include ";

    private final String name;
    private final String text;

    RemoteScript(String name) {
        this.name = name;
        this.text = assemble(name + ".sh");
    }

    /** The script's file name under {@code scripts/}. */
    String file() {
        return name + ".sh";
    }

    /** What is sent: the file without its header, includes in place. */
    String text() {
        return text;
    }

    /** The script run as root ({@code sudo -n} for a non-root login) with these positional arguments. */
    RemoteCommand with(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", text, "sh"));
        argv.addAll(args);
        return new RemoteCommand(argv, true, name + " script");
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
