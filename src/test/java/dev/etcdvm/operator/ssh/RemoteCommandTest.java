package dev.etcdvm.operator.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rendered command is parsed by the remote user's POSIX shell. Here a real local /bin/sh parses it,
 * with printf as the program, and must hand back each hostile argument byte for byte.
 */
class RemoteCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"plain", "it's", "a;b", "$(touch /tmp/pwned)", "`id`", "x\ny", "\"q\"", "*", "-n", "a b  c",
            "'; rm -rf / #", "$HOME", "\\"})
    void hostileArgumentsArriveAsLiteralData(String hostile) throws Exception {
        String rendered = RemoteCommand.unprivileged("printf", "%s", hostile).render(true);
        assertThat(runInShell(rendered)).isEqualTo(hostile);
    }

    @Test
    void privilegedCommandsOfNonRootUsersGoThroughSudoWithoutPrompt() {
        RemoteCommand command = RemoteCommand.privileged("systemctl", "restart", "etcd.service");
        assertThat(command.render(false)).isEqualTo("sudo -n -- 'systemctl' 'restart' 'etcd.service'");
        assertThat(command.render(true)).isEqualTo("'systemctl' 'restart' 'etcd.service'");
        assertThat(RemoteCommand.unprivileged("id").render(false)).isEqualTo("'id'");
    }

    @Test
    void nulBytesAndEmptyCommandsAreRefused() {
        assertThatThrownBy(() -> RemoteCommand.unprivileged("echo", "a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RemoteCommand(List.of(), false)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String runInShell(String line) throws IOException, InterruptedException {
        Process sh = new ProcessBuilder("/bin/sh", "-c", line).redirectErrorStream(true).start();
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
