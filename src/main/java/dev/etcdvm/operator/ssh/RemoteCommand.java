package dev.etcdvm.operator.ssh;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A command as an argument vector. The remote side receives a single string that a POSIX shell
 * parses, so every argument is single-quoted: quotes, ;, $(), newlines stay literal data.
 *
 * @param argv program and arguments, never a shell snippet
 * @param privileged run through {@code sudo -n} when the login user is not root
 * @param label how messages name the command (a script's text is too long to quote)
 */
public record RemoteCommand(List<String> argv, boolean privileged, String label) {
    public RemoteCommand(List<String> argv, boolean privileged) {
        this(argv, privileged, String.join(" ", argv));
    }

    public RemoteCommand {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        for (String arg : argv) {
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL byte in a command argument");
            }
        }
        argv = List.copyOf(argv);
    }

    public static RemoteCommand privileged(String... argv) {
        return new RemoteCommand(List.of(argv), true);
    }

    public static RemoteCommand unprivileged(String... argv) {
        return new RemoteCommand(List.of(argv), false);
    }

    /** The exact string sent in the SSH exec request. */
    public String render(boolean loginIsRoot) {
        String command = argv.stream().map(RemoteCommand::quote).collect(Collectors.joining(" "));
        // -n: never prompt for a password, fail at once instead of hanging the channel.
        return privileged && !loginIsRoot ? "sudo -n -- " + command : command;
    }

    static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return label;
    }
}
