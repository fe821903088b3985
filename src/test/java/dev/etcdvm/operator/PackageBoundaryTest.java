package dev.etcdvm.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Only ssh imports MINA SSHD, only pki imports Bouncy Castle, only etcd imports jetcd. */
class PackageBoundaryTest {
    private static final Path MAIN = Path.of("src/main/java/dev/etcdvm/operator");
    private static final Map<String, String> OWNER_OF_LIBRARY = Map.of(
            "org.apache.sshd", "ssh",
            "org.bouncycastle", "pki",
            "io.etcd.jetcd", "etcd");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    /** Lines like "reconciler/Foo.java imports org.apache.sshd.X (only ssh may)". */
    static List<String> crossings(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file).getName(0).toString();
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String imported = m.group(1);
                    OWNER_OF_LIBRARY.forEach((library, owner) -> {
                        if (imported.startsWith(library + ".") && !pkg.equals(owner)) {
                            found.add(root.relativize(file) + " imports " + imported + " (only " + owner + " may)");
                        }
                    });
                }
            }
        }
        return found;
    }

    @Test
    void librariesStayInsideTheirPackages() throws IOException {
        assertThat(crossings(MAIN)).isEmpty();
    }

    @Test
    void aCrossingImportIsDetected(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path offender = tmp.resolve("reconciler/Offender.java");
        Files.createDirectories(offender.getParent());
        Files.writeString(offender, "package x;\nimport org.bouncycastle.asn1.x500.X500Name;\nimport java.util.List;\n");
        Path allowed = tmp.resolve("pki/Fine.java");
        Files.createDirectories(allowed.getParent());
        Files.writeString(allowed, "package x;\nimport org.bouncycastle.asn1.x500.X500Name;\n");

        assertThat(crossings(tmp)).containsExactly(
                "reconciler/Offender.java imports org.bouncycastle.asn1.x500.X500Name (only pki may)");
    }
}
