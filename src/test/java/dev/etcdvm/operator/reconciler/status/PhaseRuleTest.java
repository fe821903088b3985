package dev.etcdvm.operator.reconciler.status;

import static dev.etcdvm.operator.reconciler.status.FactsBuilder.forming;
import static dev.etcdvm.operator.reconciler.status.FactsBuilder.healthy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.ClusterPhase;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.pass.MembershipResult;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PhaseRuleTest {
    static Stream<Arguments> table() {
        MembershipResult catchingUp = MembershipResult.held(new MembershipChange.Hold("LearnerCatchingUp", "x", false));
        return Stream.of(
                Arguments.of("healthy", healthy(), ClusterPhase.Running),
                Arguments.of("invalid spec", healthy().invalid("spec", "x"), ClusterPhase.Failed),
                Arguments.of("an upgrade on track", healthy().rollingRestart("Upgrading", false), ClusterPhase.Upgrading),
                Arguments.of("a configuration rollout on track", healthy().rollingRestart("Updating", false),
                        ClusterPhase.Updating),
                Arguments.of("a rollout halted", healthy().rollingRestart("Updating", true), ClusterPhase.Degraded),
                Arguments.of("a refused spec change", healthy().refusedChange("spec.etcd.peerPort", "x"), ClusterPhase.Failed),
                Arguments.of("frozen", healthy().decided(Decision.Mode.FREEZE, "ClusterIdMismatch", "x"), ClusterPhase.Failed),
                Arguments.of("a sick voter", healthy().sickVoter("etcd-2 (Unhealthy)"), ClusterPhase.Degraded),
                Arguments.of("an alarm", healthy().alarm("NOSPACE", "AlarmActive"), ClusterPhase.Degraded),
                Arguments.of("etcd silent", healthy().etcdSilent("refused"), ClusterPhase.Degraded),
                Arguments.of("a learner catching up", healthy().joining(catchingUp), ClusterPhase.Reconfiguring),
                Arguments.of("forming", forming(), ClusterPhase.Provisioning),
                Arguments.of("formed, a voter's data not marked yet", healthy().unmarked("etcd-1"), ClusterPhase.Provisioning),
                Arguments.of("forming, a machine failed", forming().failed("etcd-1", FailureReason.DownloadFailed, "x"),
                        ClusterPhase.Pending),
                Arguments.of("waiting for machines", forming().decided(Decision.Mode.WAIT, "HostUnreachable", "x"),
                        ClusterPhase.Pending),
                Arguments.of("paused and healthy", healthy().decided(Decision.Mode.PAUSED, "Paused", "x"),
                        ClusterPhase.Running),
                Arguments.of("a quorum recovery under way", healthy().decided(Decision.Mode.RECOVER, "QuorumRecovering",
                        "x"), ClusterPhase.Recovering),
                Arguments.of("quorum lost", healthy().decided(Decision.Mode.FREEZE, "QuorumLost", "x"), ClusterPhase.Failed),
                Arguments.of("healthy, a possible loss not acknowledged", healthy().dataLossPossible("x"),
                        ClusterPhase.Degraded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void choosesThePhase(String row, FactsBuilder facts, ClusterPhase phase) {
        assertThat(PhaseRule.of(facts.build())).as(row).isEqualTo(phase);
    }
}
