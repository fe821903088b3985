package dev.etcdvm.operator.reconciler.status;

import static dev.etcdvm.operator.reconciler.status.CheckTable.row;
import static dev.etcdvm.operator.reconciler.status.CheckTable.untouched;
import static dev.etcdvm.operator.reconciler.status.FactsBuilder.forming;
import static dev.etcdvm.operator.reconciler.status.FactsBuilder.healthy;

import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DegradedCheckTest {
    static Stream<Arguments> table() {
        return Stream.of(
                row("all voters healthy", healthy(), "False", "VotersHealthy"),
                row("not formed yet", forming(), "False", "NotFormed"),
                row("not formed, a machine failed", forming().failed("etcd-1", FailureReason.CommandFailed, "x"),
                        "False", "NotFormed"),
                untouched("invalid spec", healthy().invalid("spec.members", "empty")),
                row("a rollout on track", healthy().rollingRestart("Updating", false), "False", "VotersHealthy"),
                row("a rollout halted", healthy().rollingRestart("Updating", true), "True", "RolloutStalled"),
                row("a refused spec change of a healthy cluster", healthy().refusedChange("spec.etcd.dataDir", "changed"),
                        "False", "VotersHealthy"),
                row("frozen", healthy().decided(Decision.Mode.FREEZE, "ClusterIdMismatch", "ids differ"),
                        "True", "ClusterIdMismatch"),
                row("a sick voter", healthy().sickVoter("etcd-2 (Unhealthy: refused)"), "True", "MembersUnhealthy"),
                row("an alarm", healthy().alarm("NOSPACE on etcd-2", "AlarmActive"), "True", "AlarmActive"),
                row("etcd silent", healthy().etcdSilent("deadline exceeded"), "True", "EtcdUnavailable"),
                row("etcd silent because our login failed", healthy().etcdSilent("refused")
                        .failed("etcd-1", FailureReason.HostKeyMismatch, "key"), "True", "HostKeyMismatch"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void decidesDegraded(CheckTable row) {
        row.assertVerdict(new DegradedCheck());
    }
}
