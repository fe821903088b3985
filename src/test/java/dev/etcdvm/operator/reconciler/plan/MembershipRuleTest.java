package dev.etcdvm.operator.reconciler.plan;

import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M1;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M2;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.M3;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.NOW;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.member;
import static dev.etcdvm.operator.reconciler.plan.PassFixtures.observed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.kube.SpecFence;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.FakeMembership;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.PlanRuns;
import dev.etcdvm.operator.support.Specs;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one membership change of a pass, against an etcd that refuses on demand. */
class MembershipRuleTest {
    /** The spec dropped etcd-3; etcd still lists it, healthy: the pass decided to remove it. */
    private static final EtcdVmCluster TWO = Specs.cluster("c", "ns", List.of(M1, M2));
    private static final ObservedCluster THREE_IN_ETCD = observed(member("a1", M1, true, true),
            member("a2", M2, true, false), member("a3", M3, true, false));
    private static final MembershipChange REMOVE = new MembershipChange.Remove("etcd-3", "a3", "the spec no longer lists it");

    private final PlanRuns runs = new PlanRuns();
    private final FakeMembership etcd = runs.membership;

    @Test
    void aChangeIsMadeAnnouncedAndLookedAtSoon() {
        Pass outcome = run(REMOVE, () -> false);
        assertThat(etcd.applied()).containsExactly(REMOVE);
        assertThat(outcome.effects().membershipResult().done()).isPresent();
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason()).containsExactly(EventReason.MembershipChanged);
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.SOON);
    }

    @Test
    void etcdSayingNotYetHoldsTheChangeAndRetriesSoon() {
        etcd.notYet();
        Pass outcome = run(REMOVE, () -> false);
        assertThat(outcome.effects().membershipResult().reason()).isEqualTo("EtcdNotReadyForChange");
        assertThat(outcome.effects().membershipResult().failed()).isFalse();
        assertThat(outcome.effects().announcements()).isEmpty();
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.WAITING);
    }

    @Test
    void etcdRefusingIsAFailureWithAWarningAndBackoff() {
        etcd.failingWith(FailureReason.RemoveFailed, "removing etcd-3 failed: deadline exceeded");
        Pass outcome = run(REMOVE, () -> false);
        assertThat(outcome.effects().membershipResult().failed()).isTrue();
        assertThat(outcome.effects().membershipResult().reason()).isEqualTo("RemoveFailed");
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason())
                .containsExactly(EventReason.MembershipChangeFailed);
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.PROBLEM);
    }

    @Test
    void aSpecChangedSinceTheDecisionHoldsTheChange() {
        Pass outcome = run(REMOVE, () -> true);
        assertThat(etcd.applied()).isEmpty();
        assertThat(outcome.effects().membershipResult().reason()).isEqualTo("SpecChanged");
    }

    @Test
    void anApiServerThatCannotBeAskedHoldsTheChange() {
        Pass outcome = run(REMOVE, () -> {
            throw new KubernetesClientException("Operation cannot be fulfilled: the object has been modified", 409, null);
        });
        assertThat(etcd.applied()).isEmpty();
        assertThat(outcome.effects().membershipResult().reason()).isEqualTo("KubernetesApiError");
    }

    @Test
    void aRefusalByTheQuorumGuardIsAnnouncedOnceAndChangesNothing() {
        MembershipChange.Hold refused = new MembershipChange.Hold("QuorumGuard", "refusing to remove etcd-3", true);
        Pass outcome = run(refused, () -> false);
        assertThat(etcd.applied()).isEmpty();
        assertThat(outcome.effects().announcements()).extracting(a -> a.reason())
                .containsExactly(EventReason.MembershipChangeRefused);
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.PROBLEM);
    }

    @Test
    void aJoinerWhoseMachineWasNotInstalledIsNotAdded() {
        MemberSpec m4 = new MemberSpec("etcd-4", "10.250.0.14");
        EtcdVmCluster four = Specs.cluster("c", "ns", List.of(M1, M2, M3, m4));
        Pass outcome = runs.run(Passes.of(four, THREE_IN_ETCD,
                Passes.converging(new MembershipChange.AddLearner(m4, "https://10.250.0.14:2380")), NOW));
        assertThat(etcd.applied()).isEmpty();
        assertThat(outcome.effects().membershipResult().reason()).isEqualTo("WaitingForHost");
        assertThat(PlanRuns.urgency(outcome)).containsExactly(Pace.WAITING);
    }

    private Pass run(MembershipChange change, SpecFence fence) {
        return runs.run(Passes.of(TWO, THREE_IN_ETCD, Passes.converging(change), NOW, fence));
    }
}
