package dev.etcdvm.operator.reconciler.status;

import static dev.etcdvm.operator.reconciler.status.CheckTable.row;
import static dev.etcdvm.operator.reconciler.status.CheckTable.untouched;
import static dev.etcdvm.operator.reconciler.status.FactsBuilder.healthy;

import dev.etcdvm.operator.reconciler.reason.FailureReason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostsReachableCheckTest {
    static Stream<Arguments> table() {
        return Stream.of(
                row("every login verified", healthy(), "True", "AllReachable"),
                row("a wrong host key", healthy().unreachable("etcd-2", FailureReason.HostKeyMismatch, "expected X"),
                        "False", "HostKeyMismatch"),
                row("a machine down", healthy().unreachable("etcd-3", FailureReason.HostUnreachable, "no route"),
                        "False", "HostUnreachable"),
                row("a key the server refused", healthy().unreachable("etcd-1", FailureReason.SshAuthenticationFailed,
                        "denied"), "False", "SshAuthenticationFailed"),
                untouched("invalid spec: no machine was asked", healthy().invalid("spec.ssh", "missing")),
                row("a refused spec change: every machine was asked", healthy().refusedChange("spec.etcd.peerPort",
                        "changed"), "True", "AllReachable"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void decidesHostsReachable(CheckTable row) {
        row.assertVerdict(new HostsReachableCheck());
    }
}
