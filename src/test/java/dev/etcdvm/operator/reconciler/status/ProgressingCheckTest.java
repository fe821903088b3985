package dev.etcdvm.operator.reconciler.status;

import static dev.etcdvm.operator.reconciler.status.CheckTable.row;
import static dev.etcdvm.operator.reconciler.status.FactsBuilder.forming;
import static dev.etcdvm.operator.reconciler.status.FactsBuilder.healthy;

import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProgressingCheckTest {
    static Stream<Arguments> table() {
        MembershipResult catchingUp = MembershipResult.held(
                new MembershipChange.Hold("LearnerCatchingUp", "etcd-4 is catching up", false));
        return Stream.of(
                row("nothing to do", healthy(), "False", "Stable"),
                row("invalid spec", healthy().invalid("spec.version", "bad"), "False", "InvalidSpec"),
                row("an upgrade on track", healthy().rollingRestart("Upgrading", false), "True", "Upgrading"),
                row("a rollout halted", healthy().rollingRestart("Upgrading", true), "False", "RolloutStalled"),
                row("a refused spec change", healthy().refusedChange("spec.etcd.peerPort", "changed"), "False",
                        "SpecChangeRefused"),
                row("frozen", healthy().decided(Decision.Mode.FREEZE, "ClusterIdMismatch", "ids"), "False",
                        "ClusterIdMismatch"),
                row("paused", healthy().decided(Decision.Mode.PAUSED, "Paused", "paused by annotation"), "False", "Paused"),
                row("quorum guard refused", healthy().membership(MembershipResult.held(
                        new MembershipChange.Hold("QuorumGuard", "refusing to remove etcd-2", true))), "False", "QuorumGuard"),
                row("etcd refused the change", healthy().membership(MembershipResult.failed("RemoveFailed", "x")),
                        "False", "RemoveFailed"),
                row("a machine failed", healthy().failed("etcd-2", FailureReason.SshTimeout, "t"), "False", "SshTimeout"),
                row("waiting for machines to form", forming().decided(Decision.Mode.WAIT, "PreflightFailed", "port"),
                        "False", "PreflightFailed"),
                row("a member was added", healthy().joining(MembershipResult.changed("added etcd-4")),
                        "True", "MembershipChanging"),
                row("a learner catching up", healthy().joining(catchingUp), "True", "LearnerCatchingUp"),
                row("machines were installed", forming().acted(), "True", "Provisioning"),
                row("started members not healthy yet", forming(), "False", "Waiting"),
                row("recovering from NOSPACE", healthy().alarm("NOSPACE on a1", "AlarmActive").maintenance("NoSpace", null),
                        "True", "RecoveringSpace"),
                row("a fragmentation round", healthy().maintenance("Fragmented", "pauses between members"), "True",
                        "Defragmenting"),
                row("NOSPACE back soon after a recovery", healthy().alarm("NOSPACE on a1", "AlarmActive")
                        .maintenance(null, "NOSPACE came back within 10 minutes"), "False", "QuotaFull"),
                row("a quorum recovery under way", healthy().decided(Decision.Mode.RECOVER, "QuorumRecovering", "seed"),
                        "True", "QuorumRecovering"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void decidesProgressing(CheckTable row) {
        row.assertVerdict(new ProgressingCheck());
    }
}
