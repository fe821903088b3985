package dev.etcdvm.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every remote script is valid POSIX sh, as the host's sh parses it (sh -n), the shared functions included. */
class RemoteScriptsTest {
    @Test
    void everyScriptParses() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Field field : RemoteScripts.class.getDeclaredFields()) {
            if (field.getType() != String.class || !Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            String script = (String) field.get(null);
            Process sh = new ProcessBuilder("sh", "-n", "-c", script).redirectErrorStream(true).start();
            String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sh.exitValue()).as(field.getName() + ": " + output).isZero();
            checked.add(field.getName());
        }
        assertThat(checked).contains("PROBE", "RESTORE", "RECOVER", "DRILL", "RETIRE", "ARCHIVE_DATA");
    }
}
