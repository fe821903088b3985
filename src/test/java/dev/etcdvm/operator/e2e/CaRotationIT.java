package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.SecretRef;
import dev.etcdvm.operator.etcd.NumberedWriter;
import dev.etcdvm.operator.pki.CertificateAuthority;
import dev.etcdvm.operator.reconciler.pass.Failpoints.Point;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A CA rotation on real members while a client writes through the consumer Secret: the old CA is trusted
 * nowhere at the end, every certificate is the new CA's, no acknowledged write is lost, writes are never
 * refused for longer than an election timeout, status stays live, and an operator killed in the middle is
 * replaced by a fresh one that finishes the rotation.
 */
class CaRotationIT extends EndToEndTest {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);

    /**
     * @param own the cluster uses CAs of the user's own, replaced by naming another Secret; otherwise its
     *     generated CA is replaced through the rotate-ca annotation
     * @param killAt where the first operator dies: in phase 1 (after its first restart) or as phase 2 begins
     *     (certificates issued from the new CA, no machine told yet)
     */
    @ParameterizedTest(name = "CA of the user's own: {0}, operator killed at {1} #{2}")
    @CsvSource({"false, AFTER_RESTART, 1", "true, AFTER_CA_PHASE, 2"})
    void aCaRotationLosesNoWriteAndLeavesOnlyTheNewCaTrusted(boolean own, Point killAt, int nth, @TempDir Path dir)
            throws Exception {
        List<Machine> vms = fixture.fresh("vm1", "vm2", "vm3");
        String name = own ? "rotate-own" : "rotate-generated";
        EtcdVmCluster cluster = fixture.cluster(name, "3.5.16", vms);
        if (own) {
            writeCaSecret("own-ca-1");
            cluster.getSpec().getTls().setCaSecretRef(new SecretRef("own-ca-1"));
        }
        fixture.api().client().resource(cluster).create();
        fixture.awaitReady(name, READY_WITHIN);
        X509Certificate oldCa = single(caCertificates(fixture.consumerSecret(name).getData().get("ca.crt")));
        MembershipProbe probe = new MembershipProbe(fixture, testbed, dir);

        long took;
        Set<String> seen;
        Duration silence;
        try (NumberedWriter writer = probe.writer(name);
                MembershipProbe.PhaseSampler sampler = new MembershipProbe.PhaseSampler(fixture, name)) {
            KillSwitch killSwitch = new KillSwitch(killAt, nth);
            fixture.stopOperator();
            fixture.startOperator(killSwitch);
            long started = System.nanoTime();
            if (own) {
                writeCaSecret("own-ca-2");
            }
            fixture.edit(name, c -> {
                if (own) {
                    c.getSpec().getTls().setCaSecretRef(new SecretRef("own-ca-2"));
                } else {
                    c.getMetadata().setAnnotations(Map.of(EtcdVmCluster.ROTATE_CA_ANNOTATION, "first"));
                }
                return c;
            });
            killSwitch.awaitKilled(Duration.ofSeconds(90));
            fixture.stopOperator();
            fixture.startOperator();
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fixture.resource(name).get(), c -> c.getStatus().getCertificates() != null
                            && "None".equals(c.getStatus().getCertificates().getRotation())
                            && c.getStatus().getPhase().name().equals("Running")
                            && !caCertificates(fixture.consumerSecret(name).getData().get("ca.crt")).contains(oldCa));
            took = System.nanoTime() - started;
            MembershipProbe.assertNoAcknowledgedWriteLost(writer, ELECTION_TIMEOUT);
            seen = sampler.seen();
            sampler.close();
            silence = sampler.longestStatusSilence();
        }
        System.out.printf("CA rotation (%s) of 3 members: %d ms; sampled %s; longest status silence %d ms%n",
                own ? "own CA -> own CA" : "generated -> generated", took / 1_000_000, seen, silence.toMillis());

        X509Certificate newCa = single(caCertificates(fixture.consumerSecret(name).getData().get("ca.crt")));
        String expectedCa = own ? secretValue("own-ca-2", "ca.crt") : secretValue(name + "-ca", "ca.crt");
        assertThat(newCa).isEqualTo(single(caCertificates(Base64.getEncoder().encodeToString(
                expectedCa.getBytes(StandardCharsets.US_ASCII)))));
        for (Machine vm : vms) {
            assertThat(caCertificates(encoded(read(vm, "/etc/etcd/pki/ca.crt")))).as(vm.name() + " trusts")
                    .containsExactly(newCa);
            for (String file : List.of("server.crt", "peer.crt")) {
                X509Certificate cert = single(caCertificates(encoded(read(vm, "/etc/etcd/pki/" + file))));
                cert.verify(newCa.getPublicKey()); // throws when another CA signed it
            }
        }
        // Events of the pass the operator died in are lost with it; status shows every phase regardless.
        assertThat(probe.events(name, "CaRotationPhase")).extracting(e -> e.getMessage())
                .anySatisfy(m -> assertThat(m).contains("phase 3 of 3"));
        assertThat(probe.events(name, "CaRotationCompleted")).isNotEmpty();
        assertThat(seen).contains("cluster:RotatingCertificates", "rotation:TrustBoth", "rotation:DropOld");
        assertThat(silence).as("longest time status went without a newer probe").isLessThan(Duration.ofSeconds(30));
        EtcdctlClient etcdctl = new EtcdctlClient(fixture.consumerSecret(name), dir);
        assertThat(etcdctl.run("put", "/after-rotation", "v").exitCode()).isZero();
    }

    private void writeCaSecret(String secret) {
        CertificateAuthority ca = CertificateAuthority.generate(secret, Duration.ofDays(365), Clock.systemUTC());
        fixture.api().client().secrets().inNamespace(fixture.api().namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(secret).endMetadata()
                .withData(Map.of("ca.crt", encoded(ca.certificatePem()), "ca.key", encoded(ca.privateKeyPem())))
                .build()).createOr(op -> op.update());
    }

    private String secretValue(String secret, String key) {
        return new String(Base64.getDecoder().decode(fixture.api().client().secrets().inNamespace(fixture.api()
                .namespace()).withName(secret).get().getData().get(key)), StandardCharsets.US_ASCII);
    }

    private static String encoded(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static List<X509Certificate> caCertificates(String base64Pem) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                    Base64.getDecoder().decode(base64Pem))).stream().map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate single(List<X509Certificate> certificates) {
        assertThat(certificates).hasSize(1);
        return certificates.get(0);
    }
}
