package dev.etcdvm.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdvm.operator.testbed.Testbed;
import dev.etcdvm.operator.testbed.Testbed.CommandResult;
import java.time.Duration;
import java.util.List;

/** What the acceptance of the JSON gateway asks on every member: put, range, a watch stream, a clean log. */
final class GatewayCheck {
    /** What a member logs when its gateway's certificate is refused as a client certificate. */
    static final String KEY_USAGE_REFUSAL = "incompatible key usage";

    private GatewayCheck() {
    }

    /** A put through the first endpoint, a range through the second, a watch through the third sees a later put. */
    static void assertServes(GatewayClient gateway, String key) {
        List<String> endpoints = gateway.endpoints();
        GatewayClient.Answer put = gateway.at(endpoints.get(0)).put(key, "v1");
        assertThat(put.ok()).as("put through %s: %s", endpoints.get(0), put.refusals()).isTrue();
        long revision = put.body().path("header").path("revision").asLong();
        GatewayClient.Answer range = gateway.at(endpoints.get(1 % endpoints.size())).range(key);
        assertThat(range.ok()).as("range: %s", range.refusals()).isTrue();
        assertThat(GatewayClient.text(range.body().path("kvs").path(0).path("value"))).isEqualTo("v1");

        ClientLog watched = new ClientLog("watch");
        try (GatewayWatch watch = new GatewayWatch(gateway.at(endpoints.get(2 % endpoints.size())), key,
                revision + 1, watched)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> watched.successes(everything()) > 0); // created
            assertThat(gateway.put(key, "v2").ok()).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watch.seen()).contains(key));
        }
    }

    /** How many lines each member logged since {@code sinceEpochSecond} refusing a certificate's key usage. */
    static long keyUsageRefusals(Testbed testbed, List<Testbed.Machine> machines, long sinceEpochSecond) {
        long total = 0;
        for (Testbed.Machine vm : machines) {
            CommandResult lines = testbed.sshExec(vm, "root", "journalctl -u etcd --no-pager -q --since @"
                    + sinceEpochSecond + " | grep -c '" + KEY_USAGE_REFUSAL + "' || true");
            assertThat(lines.exitCode()).as(lines.toString()).isZero();
            total += Long.parseLong(lines.stdout().trim());
        }
        return total;
    }

    static ClientLog.Window everything() {
        return new ClientLog.Window("all", Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
