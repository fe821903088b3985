package dev.etcdvm.operator.e2e;

import static dev.etcdvm.operator.support.ClusterAssertions.condition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.etcd.EtcdTls;
import dev.etcdvm.operator.etcd.NumberedWriter;
import dev.etcdvm.operator.testbed.Testbed;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import dev.etcdvm.operator.testbed.Testbed.Machine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Independent looks at a cluster during membership changes: etcdctl's member list, the machines, a writer. */
final class MembershipProbe {
    /** One entry of {@code etcdctl member list}. */
    record Member(String name, String id, String peerUrl, boolean learner) {
    }

    private final OperatorFixture fixture;
    private final Testbed testbed;
    private final Path dir;

    MembershipProbe(OperatorFixture fixture, Testbed testbed, Path dir) {
        this.fixture = fixture;
        this.testbed = testbed;
        this.dir = dir;
    }

    /** The member list as the host's own etcdctl reads it through the consumer Secret. */
    List<Member> members(String cluster) {
        CommandResult list = new EtcdctlClient(fixture.consumerSecret(cluster), dir).run("member", "list", "-w", "json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        try {
            List<Member> members = new ArrayList<>();
            for (JsonNode m : new ObjectMapper().readTree(list.stdout()).get("members")) {
                members.add(new Member(m.path("name").asText(""),
                        Long.toHexString(Long.parseUnsignedLong(m.get("ID").asText())),
                        m.get("peerURLs").get(0).asText(), m.path("isLearner").asBoolean(false)));
            }
            members.sort(Comparator.comparing(Member::name));
            return members;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "active enabled member" style summary of etcd on a machine. */
    String service(Machine machine) {
        CommandResult r = testbed.sshExec(machine, "root", "a=$(systemctl is-active etcd); e=$(systemctl is-enabled etcd"
                + " 2>/dev/null); echo $a ${e:-no-unit} $(test -d /var/lib/etcd/member && echo data || echo no-data)"
                + " $(test -e /usr/local/bin/etcd && echo binary || echo no-binary)"
                + " $(test -d /etc/etcd && echo config || echo no-config)");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout().trim();
    }

    /**
     * Writes a numbered key every 50 ms through the consumer Secret, following its endpoints and credentials
     * as they change, as a client re-reading a mounted Secret would.
     */
    NumberedWriter writer(String cluster) {
        return NumberedWriter.start(() -> {
            Secret secret = fixture.consumerSecret(cluster);
            return new EtcdTls(decode(secret, "ca.crt"), decode(secret, "tls.crt"), decode(secret, "tls.key"));
        }, () -> List.of(decode(fixture.consumerSecret(cluster), "endpoints").split(",")), "/writer/",
                Duration.ofMillis(50));
    }

    static void assertNoAcknowledgedWriteLost(NumberedWriter writer, Duration electionTimeout) {
        writer.stop();
        System.out.printf("writer: %d acknowledged of %d attempted, longest refusal %d ms%n",
                writer.acknowledged(), writer.attempted(), writer.longestRefusal().toMillis());
        assertThat(writer.missingAcknowledged()).as("acknowledged writes missing afterwards").isEmpty();
        assertThat(writer.acknowledged()).as("acknowledged writes").isGreaterThan(20);
        assertThat(writer.longestRefusal()).as("longest time writes were refused").isLessThanOrEqualTo(electionTimeout);
    }

    /** Replaces the spec's member list, as a user editing the manifest would. */
    void setMembers(String cluster, List<MemberSpec> members) {
        fixture.edit(cluster, c -> {
            c.getSpec().setMembers(new ArrayList<>(members));
            return c;
        });
    }

    static MemberSpec member(Machine machine) {
        return new MemberSpec("etcd-" + machine.name(), machine.address());
    }

    List<Event> events(String cluster, String reason) {
        return events(cluster).stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    /** Every Event about the cluster, oldest first. */
    List<Event> events(String cluster) {
        return fixture.api().client().v1().events().inNamespace(fixture.api().namespace()).list().getItems().stream()
                .filter(e -> cluster.equals(e.getInvolvedObject().getName()))
                .sorted(Comparator.comparing(e -> e.getMetadata().getCreationTimestamp() == null ? ""
                        : e.getMetadata().getCreationTimestamp()))
                .toList();
    }

    /**
     * Samples member phases, the cluster phase, its Ready and Degraded values and the CA rotation phase
     * from status in the background, to prove a state was (or was not) passed through, and how long
     * status went without news of a probe.
     */
    static final class PhaseSampler implements AutoCloseable {
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile boolean running = true;
        // Status liveness, touched by the sampling thread only until close() joins it.
        private String newestProbe = "";
        private long probeChangedNanos = System.nanoTime();
        private long longestSilenceNanos;

        PhaseSampler(OperatorFixture fixture, String cluster) {
            thread = new Thread(() -> {
                while (running) {
                    EtcdVmCluster c = fixture.resource(cluster).get();
                    if (c != null && c.getStatus() != null) {
                        c.getStatus().getMembers().forEach(m -> seen.add(m.getName() + ":" + m.getPhase()));
                        c.getStatus().getRetiringMembers().forEach(m -> seen.add(m.getName() + ":" + m.getPhase()));
                        seen.add("cluster:" + c.getStatus().getPhase());
                        condition(c, "Ready").ifPresent(r -> seen.add("Ready=" + r.getStatus()));
                        condition(c, "Degraded").ifPresent(d -> seen.add("Degraded=" + d.getStatus()));
                        Optional.ofNullable(c.getStatus().getCertificates())
                                .ifPresent(t -> seen.add("rotation:" + t.getRotation()));
                        c.getStatus().getMembers().stream().map(m -> m.getLastProbeTime()).filter(t -> t != null)
                                .max(String::compareTo).ifPresent(this::probedAt);
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "phase-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        Set<String> seen() {
            return Set.copyOf(seen);
        }

        private void probedAt(String time) {
            long now = System.nanoTime();
            longestSilenceNanos = Math.max(longestSilenceNanos, now - probeChangedNanos);
            if (!time.equals(newestProbe)) {
                newestProbe = time;
                probeChangedNanos = now;
            }
        }

        /** The longest the status went without a newer probe time while sampled; call after {@link #close()}. */
        Duration longestStatusSilence() {
            return Duration.ofNanos(longestSilenceNanos);
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
