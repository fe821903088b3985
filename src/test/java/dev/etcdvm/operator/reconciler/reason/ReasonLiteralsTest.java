package dev.etcdvm.operator.reconciler.reason;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reasons come from the two fixed sets, never from a string literal that could drift from them. */
class ReasonLiteralsTest {
    private static final Path MAIN = Path.of("src/main/java/dev/etcdvm/operator");
    private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Za-z]+)\"");

    @Test
    void noReasonIsWrittenAsALiteral() throws IOException {
        assertThat(literals(MAIN, reasons())).isEmpty();
    }

    /** Control: the scan finds a reason written as a literal. */
    @Test
    void aLiteralReasonIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Offender.java"), "class Offender {\n    String why = \"QuorumGuard\";\n}\n");
        assertThat(literals(dir, reasons())).singleElement().asString().contains("Offender.java:2", "QuorumGuard");
    }

    private static Set<String> reasons() {
        return Stream.concat(Arrays.stream(ConditionReason.values()), Arrays.stream(FailureReason.values()))
                .map(Reason::name).collect(Collectors.toSet());
    }

    /** Each line outside the reason and Event packages that writes a reason's name as a string literal. */
    private static List<String> literals(Path root, Set<String> reasons) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String path = root.relativize(file).toString();
                if (path.contains("reconciler/reason/") || path.contains("reconciler/events/")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    // A member's phase ("Provisioning") is its own vocabulary, written by setPhase.
                    if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//") || line.contains("setPhase(")) {
                        continue;
                    }
                    Matcher m = LITERAL.matcher(line);
                    while (m.find()) {
                        if (reasons.contains(m.group(1))) {
                            found.add(path + ":" + (i + 1) + " " + m.group());
                        }
                    }
                }
            }
        }
        return found;
    }
}
