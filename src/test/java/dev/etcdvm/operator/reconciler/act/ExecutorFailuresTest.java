package dev.etcdvm.operator.reconciler.act;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.backup.BackupAttempt;
import dev.etcdvm.operator.reconciler.backup.BackupTrigger;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.backup.SnapshotSource;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.events.EventReason;
import dev.etcdvm.operator.reconciler.failure.Failure;
import dev.etcdvm.operator.reconciler.failure.Operation;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import dev.etcdvm.operator.reconciler.plan.Precondition;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.support.FakeBackups;
import dev.etcdvm.operator.support.FakeHosts;
import dev.etcdvm.operator.support.FakeMachines;
import dev.etcdvm.operator.support.FakeMembership;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.Planning;
import dev.etcdvm.operator.support.Specs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each executor told its collaborator failed (a refused login, etcd refusing, a store without the snapshot, a
 * machine that is not this cluster's) reports a typed failure, records it for status, and never throws.
 */
class ExecutorFailuresTest {
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final EtcdVmCluster CLUSTER = Specs.threeMembers("c", "ns");
    private static final MemberPlan ETCD_1 = Planning.founders(CLUSTER, "uid").get("etcd-1");
    private static final Target TARGET = new Target(CLUSTER, Passes.placeholderTls(CLUSTER), new FakeHosts("c"), NOW);
    private static final Failure UNREACHABLE = Failure.of(Operation.SSH_CONNECT, FailureReason.HostUnreachable, null,
            "connect to 10.250.0.11:22: no route to host");

    private final FakeMachines machines = new FakeMachines();

    @Test
    void aLeadershipMoveEtcdRefusesIsAFailureThatBacksOff() {
        FakeMembership etcd = new FakeMembership().failingWith(FailureReason.MoveLeaderFailed, "leader changed");
        Report report = new LeadershipExecutor(etcd).execute(new Action.HandOverLeadership(
                new MembershipChange.MoveLeader("etcd-1", "etcd-2", "a2"), List.of()), TARGET);
        assertThat(report.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.failure().reason()).isEqualTo(FailureReason.MoveLeaderFailed));
        assertThat(report.effects().paces()).containsExactly(Pace.PROBLEM);
        assertThat(report.effects().announcements()).isEmpty();
    }

    @Test
    void aDrillWithoutASnapshotInTheStoreFailsWithoutTouchingTheMachine() {
        Report report = new DrillExecutor(Backups.NONE, machines).execute(new Action.Drill(
                BackupTrigger.drill(Optional.empty(), Optional.of("now")), ETCD_1), TARGET);
        assertThat(report.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(report.effects().backup()).hasValueSatisfying(a -> assertThat(a)
                .isInstanceOfSatisfying(BackupAttempt.Drilled.class, d -> assertThat(d.problem()).isPresent()));
        assertThat(machines.calls()).isEmpty();
    }

    @Test
    void aDrillOnAnUnreachableMachineIsRecordedAsFailed() {
        machines.failing("etcd-1", UNREACHABLE);
        Report report = new DrillExecutor(new FakeBackups().holding("s/1.db"), machines).execute(new Action.Drill(
                BackupTrigger.drill(Optional.empty(), Optional.of("now")), ETCD_1), TARGET);
        assertThat(report.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.failure().message()).contains("no route to host"));
        assertThat(machines.calls()).containsExactly("drill etcd-1");
    }

    @Test
    void aSnapshotTheStoreRefusesIsAFailedAttemptNotAnException() {
        Report report = new SnapshotExecutor(new FakeBackups().refusing("StoreUnreachable")).execute(new Action.Snapshot(
                BackupTrigger.requested("now"), new SnapshotSource("etcd-2", "https://10.250.0.12:2379", "3.5.16")),
                TARGET);
        assertThat(report.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.failure().reason()).isEqualTo(FailureReason.BackupFailed));
        assertThat(report.effects().backup()).hasValueSatisfying(a -> assertThat(a).isInstanceOf(BackupAttempt.Failed.class));
    }

    @Test
    void aRecoveryFromASnapshotTheStoreNoLongerHoldsLeavesTheSeedAlone() {
        Report report = new RecoverExecutor(new FakeBackups(), machines).execute(recover(Optional.of("s/gone.db")), TARGET);
        assertThat(report.outcome()).isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.failure().message()).contains("s/gone.db", "cannot be had"));
        assertThat(machines.calls()).isEmpty();
    }

    @Test
    void aSeedThatIsNotThisClustersIsLeftUntouchedAndSaidSo() {
        machines.failing("etcd-1", Failure.of(Operation.HOST_RECOVER, FailureReason.NotOwned, null,
                "the machine belongs to another EtcdVmCluster"));
        Report report = new RecoverExecutor(new FakeBackups(), machines).execute(recover(Optional.empty()), TARGET);
        assertThat(report.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(report.effects().announcements()).singleElement().satisfies(a -> {
            assertThat(a.reason()).isEqualTo(EventReason.MachineNotOwned);
            assertThat(a.message()).contains("recover the quorum on etcd-1", "on etcd-1: marker uid, member a1");
        });
    }

    @Test
    void aRetireeThatCannotBeReachedStaysListedAsANewEntryAndThePlanIsLeftAsItWas() {
        MemberStatus leaving = new MemberStatus();
        leaving.setName("etcd-4");
        leaving.setAddress("10.250.0.14");
        leaving.setId("a4");
        machines.failing("etcd-4", UNREACHABLE);
        Action.Retire retire = new Action.Retire(List.of(leaving), List.of(leaving), "uid", false, List.of("a1"));
        Report report = new RetireExecutor(machines).execute(retire, TARGET);
        assertThat(report.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(report.effects().retiring()).hasValueSatisfying(left -> assertThat(left).singleElement()
                .satisfies(m -> assertThat(m.getMessage()).contains("no route to host")));
        assertThat(leaving.getMessage()).as("the planned entry itself is never changed").isNull();
    }

    private static Action.Recover recover(Optional<String> snapshot) {
        return new Action.Recover(ETCD_1, Optional.of("a1"), "20261205T080000Z", "uid-recovered-1", snapshot, 0,
                List.<Precondition>of());
    }
}
