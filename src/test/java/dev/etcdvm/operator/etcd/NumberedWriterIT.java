package dev.etcdvm.operator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NumberedWriter against a real 3-member etcd cluster: it rides out a lost member, and its check can fail. */
class NumberedWriterIT {
    private static final String VERSION = "3.5.16";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static LocalEtcdCluster etcd;

    @BeforeAll
    static void startCluster() {
        etcd = LocalEtcdCluster.start(VERSION, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static NumberedWriter writer(List<String> endpoints, String prefix) {
        EtcdTls tls = etcd.clientTls();
        return NumberedWriter.start(tls.caPem(), tls.certPem(), tls.keyPem(), () -> endpoints, prefix, INTERVAL);
    }

    @Test
    void noAcknowledgedWriteIsLostWhenTheLeaderItWritesToDies() {
        // The worst case for a writer: the member it talks to is also the leader, so killing it means both
        // a dead connection and an election. The writer stays on the first endpoint until a write fails,
        // so making m1 the leader puts both on m1.
        String m1 = etcd.node("m1").clientUrl();
        try (JetcdCluster cluster = new JetcdCluster(etcd.endpoints(), etcd.clientTls(), TIMEOUT)) {
            EndpointStatus status = cluster.status(m1);
            if (!status.isLeader()) {
                cluster.moveLeader(status.memberId());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> cluster.status(m1).isLeader());
        }
        // A fixed list, as an e2e test would derive it: LocalEtcdCluster is not thread-safe, and a dead
        // member in the list is what the writer has to cope with anyway.
        List<String> endpoints = List.of(m1, etcd.node("m2").clientUrl(), etcd.node("m3").clientUrl());

        try (NumberedWriter writer = writer(endpoints, "/writer/")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> writer.acknowledged() >= 20);
            assertThat(writer.longestRefusal()).isZero();

            etcd.stop("m1");
            long before = writer.acknowledged();
            await().atMost(Duration.ofSeconds(8)).until(() -> writer.acknowledged() >= before + 20);
            writer.stop();

            assertThat(writer.missingAcknowledged()).isEmpty();
            assertThat(writer.acknowledged()).isGreaterThanOrEqualTo(40);
            // The kill was noticed (else the test proved nothing) and the cluster took writes again soon.
            assertThat(writer.attempted()).isGreaterThan(writer.acknowledged());
            assertThat(writer.longestRefusal()).isPositive().isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aDeletedOrChangedAcknowledgedKeyIsReported() {
        List<String> endpoints = etcd.endpoints(); // whichever members still run
        String prefix = "/checked/";
        try (NumberedWriter writer = writer(endpoints, prefix);
                EndpointChannel channel = new EndpointChannel(endpoints.get(0),
                        ClientSslContext.build(etcd.clientTls()), TIMEOUT)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> writer.acknowledged() >= 10);
            writer.stop();
            assertThat(writer.missingAcknowledged()).isEmpty();

            assertThat(channel.kv(deadline()).deleteRange(DeleteRangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(NumberedWriter.key(prefix, 3))).build()).getDeleted()).isOne();
            channel.kv(deadline()).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(NumberedWriter.key(prefix, 5)))
                    .setValue(ByteString.copyFromUtf8("not 5")).build());

            assertThat(writer.missingAcknowledged()).containsExactly(3L, 5L);
        }
    }

    private static Deadline deadline() {
        return Deadline.after(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
