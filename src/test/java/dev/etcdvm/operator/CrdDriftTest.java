package dev.etcdvm.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD must be exactly what the build generates from the Java types (the generator runs
 * in process-classes, before tests). Run `make crds` after changing the API and commit the result.
 */
class CrdDriftTest {
    private static final String FILE = "etcdvmclusters.etcdvm.dev-v1.yml";

    @Test
    void committedCrdMatchesTheGeneratedOne() throws IOException {
        String generated = Files.readString(Path.of("target/classes/META-INF/fabric8", FILE));
        String committed = Files.readString(Path.of("crds", FILE));
        assertThat(committed)
                .as("crds/%s is stale: run `make crds` and commit it", FILE)
                .isEqualTo(generated);
    }

    @Test
    void crdCarriesTheContractUsersDependOn() throws IOException {
        String crd = Files.readString(Path.of("crds", FILE));
        assertThat(crd).contains("group: \"etcdvm.dev\"", "name: \"v1alpha1\"", "- \"evc\"", "status: {}",
                "x-kubernetes-validations", "member names must be unique", "member addresses must be unique",
                "electionTimeoutMillis must be at least 5 times heartbeatIntervalMillis");
        for (String column : new String[] {"Ready", "Version", "Leader", "Phase", "Age"}) {
            assertThat(crd).contains("name: \"" + column + "\"");
        }
    }
}
