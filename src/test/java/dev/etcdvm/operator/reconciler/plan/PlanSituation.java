package dev.etcdvm.operator.reconciler.plan;

import dev.etcdvm.operator.api.v1alpha1.BackupSpec;
import dev.etcdvm.operator.api.v1alpha1.BackupStatus;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MachinesInShape;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.decide.PlannerFacts;
import dev.etcdvm.operator.reconciler.decide.RetiringMembers;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.support.Passes;
import dev.etcdvm.operator.support.Planning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One generated pass, as the pass planner sees it: a formed cluster's situation ({@link PlannerFacts}), and what
 * only a plan depends on: how far each machine is from its plan, which etcd version each member runs, backups
 * configured or not (and a snapshot recorded for a change), databases worth defragmenting, and machines that left
 * the spec waiting to be stopped.
 */
record PlanSituation(PlannerFacts base, List<Shape> shapes, String running, boolean backups, boolean snapshotRecorded,
        boolean fragmented, int retiring) {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String SPEC_VERSION = "3.5.16";

    /** How a reachable machine holding data stands against its plan. */
    enum Shape { IN_SHAPE, OLDER_BINARY, STALE_FILES }

    EtcdVmCluster cluster() {
        EtcdVmCluster cluster = base.cluster();
        cluster.getSpec().setVersion(SPEC_VERSION);
        if (backups) {
            cluster.getSpec().setBackup(new BackupSpec());
            cluster.getStatus().setBackup(new BackupStatus());
            if (snapshotRecorded) {
                cluster.getStatus().getBackup().setBeforeChange(SnapshotFirst.versionChange(SPEC_VERSION));
            }
        }
        for (int i = 0; i < retiring; i++) {
            MemberStatus leaving = new MemberStatus();
            leaving.setName("left-" + i);
            leaving.setAddress("10.0.2." + (i + 1));
            leaving.setId("r" + i);
            leaving.setPhase(RetiringMembers.RETIRING);
            cluster.getStatus().getRetiringMembers().add(leaving);
        }
        return cluster;
    }

    /** The machines as probed, each shaped against {@code plans} (the roles the planner gives them). */
    ObservedCluster observed(Map<String, MemberPlan> plans) {
        ObservedCluster observed = base.observed();
        List<HostObservation> hosts = new ArrayList<>();
        for (int i = 0; i < observed.hosts().size(); i++) {
            HostObservation h = observed.hosts().get(i);
            Optional<HostFacts> facts = h.facts();
            if (facts.isEmpty() || !facts.get().hasMemberData()) {
                hosts.add(h);
                continue;
            }
            MemberPlan plan = plans.get(h.member());
            String id = facts.get().memberId().orElseThrow();
            HostFacts shaped = switch (shapes.get(i % shapes.size())) {
                case IN_SHAPE -> MachinesInShape.running(plan, PlannerFacts.UID, id, running);
                case OLDER_BINARY -> MachinesInShape.running(plan, PlannerFacts.UID, id, "3.5.15");
                case STALE_FILES -> staleFiles(MachinesInShape.running(plan, PlannerFacts.UID, id, running));
            };
            hosts.add(HostObservation.reachable(h.member(), h.address(), h.hostKeyFingerprint(), shaped));
        }
        EtcdView etcd = observed.etcd();
        List<EtcdMemberView> members = etcd.members().stream().map(this::runningVersion).toList();
        return new ObservedCluster(hosts, new EtcdView(etcd.clusterId(), members, etcd.foreignClusterIds(),
                etcd.alarms(), etcd.alarmsKnown(), etcd.error()));
    }

    /**
     * The pass. A machine in shape matches the plan of the role the planner gives it (a member's id file included),
     * so the roles are decided once from the founders' plans, and the machines shaped against the roles' plans; the
     * roles depend on what the machines hold, not on their files, so deciding again gives the same roles.
     */
    Pass pass() {
        EtcdVmCluster cluster = cluster();
        Map<String, MemberPlan> founders = Planning.founders(cluster, PlannerFacts.UID);
        Map<String, MemberPlan> roles = new java.util.HashMap<>(founders);
        roles.putAll(Planning.decide(cluster, observed(founders), founders, NOW).provision());
        ObservedCluster observed = observed(roles);
        return Passes.of(cluster, observed, Planning.decide(cluster, observed, founders, NOW), NOW);
    }

    /** The member runs {@code running}; a fragmented database is mostly free space. */
    private EtcdMemberView runningVersion(EtcdMemberView m) {
        long size = fragmented ? 200L << 20 : m.dbSizeBytes();
        return new EtcdMemberView(m.id(), m.name(), m.peerUrls(), m.clientUrls(), m.learner(), m.healthy(),
                m.healthLatencyMillis(), m.healthError(), running, size, m.dbSizeInUseBytes(), m.raftTerm(),
                m.raftIndex(), m.leader(), m.revision());
    }

    private static HostFacts staleFiles(HostFacts f) {
        return new HostFacts(f.arch(), f.systemd(), f.installedVersion(), f.binaryModified(), f.dataDir(), f.marker(),
                f.memberId(), f.dataId(), f.serviceState(), f.serviceEnabled(), f.serviceStarted(), f.portHolders(),
                f.diskFreeKiB(), Map.of(), f.plannedRestartAt(), f.paths());
    }
}
