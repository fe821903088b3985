package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Keys written in transactions and read back with the host's own etcdctl, for data round trips. */
final class EtcdData {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** etcd refuses a transaction of more operations than its --max-txn-ops, 128 by default. */
    private static final int PER_TXN = 125;

    private EtcdData() {
    }

    /** {@code count} keys under {@code prefix}, in transactions, each value unique to this run; every one acknowledged. */
    static Map<String, String> write(EtcdctlClient etcdctl, Path dir, String prefix, int count) {
        Map<String, String> written = new TreeMap<>();
        String run = UUID.randomUUID().toString();
        try {
            for (int first = 0; first < count; first += PER_TXN) {
                StringBuilder txn = new StringBuilder("\n");
                for (int i = first; i < Math.min(count, first + PER_TXN); i++) {
                    String key = String.format("%s%05d", prefix, i);
                    String value = "value-" + i + "-" + run;
                    written.put(key, value);
                    txn.append("put ").append(key).append(' ').append(value).append('\n');
                }
                txn.append("\n\n"); // the end of the puts, then of the (empty) failure branch
                Path input = dir.resolve("txn");
                Files.writeString(input, txn);
                var result = etcdctl.runWithInput(input, "txn");
                assertThat(result.exitCode()).as(result.toString()).isZero();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    /** Every key and value under the prefix. */
    static Map<String, String> read(EtcdctlClient etcdctl, String prefix) {
        var result = etcdctl.run("get", prefix, "--prefix", "-w", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, String> found = new TreeMap<>();
        for (JsonNode kv : Optional.ofNullable(tree(result.stdout()).get("kvs")).orElse(JSON.createArrayNode())) {
            found.put(decode(kv.get("key").asText()), decode(kv.get("value").asText()));
        }
        return found;
    }

    /** The first endpoint's status: header (cluster_id, revision), leader, raft index. */
    static JsonNode endpointStatus(EtcdctlClient etcdctl) {
        var result = etcdctl.run("endpoint", "status", "-w", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return tree(result.stdout()).get(0).get("Status");
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
