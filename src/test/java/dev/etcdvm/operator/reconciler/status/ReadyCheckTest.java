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

class ReadyCheckTest {
    static Stream<Arguments> table() {
        return Stream.of(
                row("all voters healthy", healthy(), "True", "AllMembersHealthy"),
                row("healthy, but a recovery may have lost writes", healthy().dataLossPossible("revisions 301 to 500"),
                        "False", "DataLossPossible"),
                row("healthy, a voter's data not marked yet", healthy().unmarked("etcd-3"), "False",
                        "DataIdentityPending"),
                row("a quorum recovery under way", healthy().decided(Decision.Mode.RECOVER, "QuorumRecovering", "seed"),
                        "False", "QuorumRecovering"),
                row("a member coming back from its planned restart", healthy().rollingRestart("Upgrading", false),
                        "True", "RolloutOnTrack"),
                row("a member not back by the rollout deadline", healthy().rollingRestart("Upgrading", true), "False",
                        "RolloutStalled"),
                row("invalid spec", healthy().invalid("spec.version", "bad"), "False", "InvalidSpec"),
                row("a refused spec change", healthy().refusedChange("spec.etcd.peerPort", "changed"), "False",
                        "SpecChangeRefused"),
                row("frozen", healthy().decided(Decision.Mode.FREEZE, "ClusterIdMismatch", "ids differ"),
                        "False", "ClusterIdMismatch"),
                row("a sick voter", healthy().sickVoter("etcd-2 (Unhealthy: refused)"), "False", "MembersUnhealthy"),
                row("an active alarm", healthy().alarm("NOSPACE on etcd-2", "AlarmActive"), "False", "AlarmActive"),
                row("alarms that could not be read", healthy().alarm("alarm state unknown", "AlarmStateUnknown"),
                        "False", "AlarmStateUnknown"),
                row("etcd silent", healthy().etcdSilent("connection refused"), "False", "EtcdUnavailable"),
                row("a learner catching up", healthy().joining(MembershipResult.held(
                        new MembershipChange.Hold("LearnerCatchingUp", "etcd-4 is catching up", false))),
                        "False", "LearnerCatchingUp"),
                row("a learner joining while a machine fails", healthy().joining(MembershipResult.settled())
                        .failed("etcd-4", FailureReason.DownloadFailed, "404"), "False", "DownloadFailed"),
                row("forming", forming(), "False", "MembersNotHealthy"),
                row("forming, a checksum failed", forming().failed("etcd-1", FailureReason.ChecksumMismatch, "bad"),
                        "False", "ChecksumMismatch"),
                row("waiting for machines", forming().decided(Decision.Mode.WAIT, "HostUnreachable", "waits for etcd-2"),
                        "False", "HostUnreachable"));
    }

    @ParameterizedTest
    @MethodSource("table")
    void decidesReady(CheckTable row) {
        row.assertVerdict(new ReadyCheck());
    }
}
