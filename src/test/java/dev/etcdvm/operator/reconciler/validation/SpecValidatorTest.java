package dev.etcdvm.operator.reconciler.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.reconciler.kube.SecretReader;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rules that need a running version or Secret look-ups, checked without an API server. */
class SpecValidatorTest {
    private final AtomicInteger secretLookups = new AtomicInteger();
    private final SecretReader allSecretsPresent = new SecretReader() {
        @Override
        public Optional<Set<String>> keysOf(String namespace, String name) {
            secretLookups.incrementAndGet();
            return Optional.of(Set.of(Specs.PRIVATE_KEY, Specs.KNOWN_HOSTS, "ca.crt", "ca.key", "ssh-privatekey"));
        }

        @Override
        public Optional<String> value(String namespace, String name, String key) {
            return Optional.empty();
        }
    };
    private final SpecValidator validator = new SpecValidator();

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
        "3.4.23, 3.5.16, ok",
        "3.5.16, 3.5.17, ok",
        "3.5.16, 3.6.0, no 3.6 release has been tested",
        "3.4.23, 3.6.0, not supported",
        "3.5.16, 3.4.23, downgrade",
        "3.5.16, 3.5.2, ok"})
    void versionChangesMustBeOneMinorAtATimeAndNeverDown(String running, String wanted, String verdict) {
        EtcdVmCluster cluster = Specs.threeMembers("c", "ns");
        cluster.getSpec().setVersion(wanted);
        EtcdVmClusterStatus status = new EtcdVmClusterStatus();
        status.setVersion(running);
        cluster.setStatus(status);

        List<SpecViolation> violations = validator.validate(cluster, allSecretsPresent);

        if (verdict.equals("ok")) {
            assertThat(violations).isEmpty();
        } else {
            assertThat(violations).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("spec.version");
                assertThat(v.message()).contains(verdict);
            });
        }
    }

    @Test
    void secretsAreNotLookedUpForAStructurallyBrokenSpec() {
        EtcdVmCluster cluster = Specs.threeMembers("c", "ns");
        cluster.getSpec().getEtcd().setPeerPort(cluster.getSpec().getEtcd().getClientPort());
        assertThat(validator.validate(cluster, allSecretsPresent)).isNotEmpty();
        assertThat(secretLookups).hasValue(0);
    }

    @Test
    void violationMessagesDoNotEchoControlCharacters() {
        EtcdVmCluster cluster = Specs.threeMembers("c", "ns");
        cluster.getSpec().getMembers().get(0).setAddress("a\nb\u001b[31m");
        assertThat(validator.validate(cluster, allSecretsPresent)).singleElement()
                .satisfies(v -> assertThat(v.message()).doesNotContain("\n", "\u001b"));
    }

    @Test
    void theShippedSampleIsValid() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("deploy/samples/etcdvmcluster.yaml"))) {
            EtcdVmCluster sample = Serialization.unmarshal(in, EtcdVmCluster.class);
            assertThat(validator.validate(sample, allSecretsPresent)).isEmpty();
            assertThat(sample.getSpec().getMembers()).hasSize(3);
        }
    }
}
