package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberRole;
import dev.etcdvm.operator.provision.ProvisionException;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.reason.ConditionReason;
import dev.etcdvm.operator.reconciler.reason.FailureReason;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Decides what a pass may do from what it observed. Pure: no I/O, so every branch is unit tested. */
public final class ClusterPlanner {
    private ClusterPlanner() {
    }

    public static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, MemberMatch match, Fitness fitness,
            Map<String, MemberPlan> plans, List<String> knownTrust, Instant now) {
        return decide(cluster, observed, match, fitness, plans, knownTrust, now, SnapshotOffer.NOT_LOOKED_UP);
    }

    public static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, MemberMatch match, Fitness fitness,
            Map<String, MemberPlan> plans, List<String> knownTrust, Instant now, SnapshotOffer offer) {
        return decide(cluster, observed, match, fitness, plans, knownTrust, now, offer, RecordSeal.UNAVAILABLE);
    }

    /**
     * @param offer the newest snapshot in the store, looked up once a quorum loss is declared
     * @param seal seals a chosen recovery before status records it, and proves a recorded one is this operator's
     */
    public static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, MemberMatch match, Fitness fitness,
            Map<String, MemberPlan> plans, List<String> knownTrust, Instant now, SnapshotOffer offer, RecordSeal seal) {
        Optional<QuorumLossStatus> quorumLoss = Optional.ofNullable(cluster.getStatus())
                .map(EtcdVmClusterStatus::getQuorumLoss);
        Optional<RecoveryRecord> recovering = quorumLoss.map(QuorumLossStatus::getRecovery);
        Optional<RecoveryRecord> completed = recovering.flatMap(r -> QuorumRecovery.completed(r, observed, now));
        Optional<String> recorded = completed.map(RecoveryRecord::getNewClusterId)
                .or(() -> Optional.ofNullable(cluster.getStatus()).map(s -> s.getClusterId()));
        Optional<String> answered = observed.etcd().clusterId();
        if (!observed.etcd().foreignClusterIds().isEmpty()) {
            return Decision.freeze(ConditionReason.ClusterIdMismatch.name(), "members answer with different cluster ids "
                    + observed.etcd().foreignClusterIds() + "; all changes are frozen");
        }
        // While a recovery restores the seed, it answers first with the former id, then with the new one.
        boolean restoring = recovering.isPresent() && completed.isEmpty();
        if (!restoring && recorded.isPresent() && answered.isPresent() && !recorded.equals(answered)) {
            return Decision.freeze(ConditionReason.ClusterIdMismatch.name(), "etcd answers with cluster id " + answered.get()
                    + " but this resource formed cluster " + recorded.get() + "; all changes are frozen");
        }
        List<String> unsafe = unsafeMachines(observed);
        if (!unsafe.isEmpty()) {
            return Decision.freeze(FailureReason.UnsafePath.name(), String.join("; ", unsafe) + ". The operator does not act on a"
                    + " machine whose directories others can change; all changes are frozen until that is fixed");
        }
        List<SpecViolation> refused = Transitions.refused(cluster, observed, match, plans, knownTrust);
        if (!refused.isEmpty()) {
            return Decision.refuse(refused);
        }
        if (restoring) {
            if (cluster.paused()) {
                return Decision.paused("reconciliation is paused in the middle of a quorum recovery; observing only")
                        .withQuorum(quorumLoss, Optional.empty());
            }
            RecoveryRecord recovery = recovering.get();
            Optional<String> untrusted = RecordTrust.problem(cluster, recovery, seal);
            if (untrusted.isPresent()) {
                return Decision.freeze(ConditionReason.StatusNotTrusted.name(), untrusted.get() + "; nothing is done")
                        .withQuorum(quorumLoss, Optional.empty());
            }
            if (!plans.containsKey(recovery.getSeed())) {
                // Status names the seed; one the spec does not list (an edited status) is never acted on.
                return Decision.freeze(ConditionReason.QuorumLost.name(), "the recorded recovery's seed " + recovery.getSeed()
                        + " is not a member of the spec; nothing is done").withQuorum(quorumLoss, Optional.empty());
            }
            return Decision.recover(plans.get(recovery.getSeed()), quorumLoss.get(), "recovering the quorum from "
                    + (QuorumRecovery.SNAPSHOT.equals(recovery.getSource()) ? "snapshot " + recovery.getSnapshotKey()
                    : "the data of " + recovery.getSeed()) + " on " + recovery.getSeed()
                    + " (" + recovery.getRequest() + ")");
        }
        Optional<QuorumLoss.Outage> outage = completed.isPresent() ? Optional.empty()
                : QuorumLoss.find(cluster, observed, now);
        if (outage.isPresent() && outage.get().declared(cluster, now)) {
            return quorumLost(cluster, observed, plans, outage.get(), offer, now, seal);
        }
        Optional<String> loss = completed.isPresent() ? Optional.empty() : DataLoss.find(cluster, observed);
        boolean lossUnacknowledged = loss.isPresent() || Optional.ofNullable(cluster.getStatus())
                .map(EtcdVmClusterStatus::getLastRecovery).filter(r -> r.getAcknowledgedBy() == null).isPresent();
        Optional<String> acceptance = lossUnacknowledged ? cluster.newDataLossAcceptance() : Optional.empty();
        if (loss.isPresent() && acceptance.isEmpty()) {
            return Decision.freeze(ConditionReason.DataLossDetected.name(), loss.get() + ". All changes are frozen; to go on with what is"
                    + " left, annotate " + EtcdVmCluster.ACCEPT_DATA_LOSS_ANNOTATION + " with any new value");
        }
        if (cluster.paused()) {
            return Decision.paused("reconciliation is paused (" + (cluster.getSpec().isPaused() ? "spec.paused"
                    : "annotation " + EtcdVmCluster.PAUSED_ANNOTATION) + "); observing only, changing nothing")
                    .withQuorum(outage.map(o -> QuorumRecovery.report(cluster, o, offer)), Optional.empty());
        }
        // An accepted loss of the voters' data starts over: the cluster forms again on the machines as they are.
        boolean startsOver = acceptance.isPresent() && !observed.etcd().available();
        boolean formed = (recorded.isPresent() && !startsOver) || answered.isPresent();
        Decision decision = (formed ? converge(cluster, observed, match, fitness, plans, now)
                : bootstrap(cluster, observed, fitness, plans))
                .withQuorum(outage.map(o -> QuorumRecovery.report(cluster, o, offer)), completed);
        return acceptance.map(decision::acceptingDataLoss).orElse(decision);
    }

    /**
     * A declared quorum loss: every change frozen and nothing done, until the recover-quorum annotation chooses a
     * way out that can be carried out; that choice is sealed and recorded before anything is touched. When the
     * voters out of sight could be a majority between them, it is reported as a partition, not a loss.
     */
    private static Decision quorumLost(EtcdVmCluster cluster, ObservedCluster observed, Map<String, MemberPlan> plans,
            QuorumLoss.Outage outage, SnapshotOffer offer, Instant now, RecordSeal seal) {
        QuorumLossStatus report = QuorumRecovery.report(cluster, outage, offer);
        String lost = describe(outage) + " since " + outage.since() + " and no member in sight leads. Nothing is done"
                + " automatically. ";
        Optional<String> request = cluster.newRecoveryRequest();
        if (request.isPresent() && !cluster.paused()) {
            QuorumRecovery.Choice choice = QuorumRecovery.choose(cluster, observed, outage, offer, request.get(), now);
            if (choice.recovery().isPresent() && !seal.available()) {
                choice = new QuorumRecovery.Choice(Optional.empty(), request.get() + ": the Secret "
                        + cluster.getMetadata().getName() + "-status-seal that seals the choice before status records"
                        + " it exists but is not this cluster's");
            }
            if (choice.recovery().isPresent()) {
                RecoveryRecord recovery = seal.sealed(choice.recovery().get());
                report.setRecovery(recovery);
                return Decision.recover(plans.get(recovery.getSeed()), report, "recovery chosen ("
                        + recovery.getRequest() + "): the cluster is re-formed on " + recovery.getSeed()
                        + " keeping revision " + recovery.getKeptRevision());
            }
            report.setMessage("refused " + EtcdVmCluster.RECOVER_QUORUM_ANNOTATION + "=" + choice.refusal());
            lost = report.getMessage() + ". " + lost;
        }
        ConditionReason reason = outage.partitioned() ? ConditionReason.Unreachable : ConditionReason.QuorumLost;
        return Decision.freeze(reason.name(), lost + QuorumRecovery.options(cluster, outage, offer))
                .withQuorum(Optional.of(report), Optional.empty());
    }

    private static String describe(QuorumLoss.Outage outage) {
        List<String> parts = new ArrayList<>();
        if (!outage.out().isEmpty()) {
            parts.add(outage.out().size() + " voting member(s) out (" + String.join(", ", outage.out())
                    + ": their machines hold no member data)");
        }
        if (!outage.unreachable().isEmpty()) {
            parts.add(outage.unreachable().size() + " voting member(s) unreachable ("
                    + String.join(", ", outage.unreachable()) + (outage.partitioned()
                            ? ": enough to be a working majority out of sight, so this may be a network split and"
                                    + " the cluster may still serve there)"
                            : ": unknown, not lost)"));
        }
        return String.join(" and ", parts);
    }

    /** Each probed machine whose data or install directory, as it resolves there, is not safe to own. */
    private static List<String> unsafeMachines(ObservedCluster observed) {
        List<String> unsafe = new ArrayList<>();
        for (HostObservation host : observed.hosts()) {
            host.facts().map(f -> f.paths().problems()).filter(p -> !p.isEmpty())
                    .ifPresent(p -> unsafe.add(host.member() + ": " + String.join(", ", p)));
        }
        return unsafe;
    }

    /** A new cluster forms only when every machine is reachable and fit: all members start together. */
    private static Decision bootstrap(EtcdVmCluster cluster, ObservedCluster observed, Fitness fitness,
            Map<String, MemberPlan> plans) {
        List<HostObservation> unreachable = observed.unreachable();
        if (!unreachable.isEmpty()) {
            return Decision.waitFor(unreachable.get(0).failure().get().conditionReason(), "forming the cluster waits for "
                    + unreachable.stream().map(HostObservation::member).collect(Collectors.joining(", ")));
        }
        List<String> refusals = new ArrayList<>();
        String reason = null;
        for (MemberSpec member : cluster.getSpec().getMembers()) {
            Optional<ProvisionException> refusal = fitness.refusal(member.getName());
            if (refusal.isPresent()) {
                reason = reason == null ? refusal.get().reason().name() : reason;
                refusals.add(member.getName() + ": " + refusal.get().getMessage());
            }
        }
        if (!refusals.isEmpty()) {
            return Decision.waitFor(reason, String.join("; ", refusals));
        }
        return new Decision(Decision.Mode.BOOTSTRAP, plans, new MembershipChange.None(), ConditionReason.Bootstrapping.name(),
                "forming a new cluster of " + cluster.getSpec().getMembers().size(), Optional.empty(), Optional.empty());
    }

    /**
     * Gives each reachable machine its role: members are kept in shape, a learner never started joins, a
     * machine etcd does not list yet is installed but not started. A machine whose member's data is gone
     * is left alone: started as is it would try to form a cluster of its own; the membership rules
     * replace it instead. While etcd cannot be asked, only machines holding member data are kept running.
     */
    private static Decision converge(EtcdVmCluster cluster, ObservedCluster observed, MemberMatch match,
            Fitness fitness, Map<String, MemberPlan> plans, Instant now) {
        Map<String, MemberPlan> provision = new LinkedHashMap<>();
        for (MemberMatch.Paired p : match.paired()) {
            String name = p.spec().getName();
            Optional<HostFacts> facts = observed.host(name).flatMap(HostObservation::facts);
            if (facts.isEmpty()) {
                continue;
            }
            MemberPlan plan = plans.get(name);
            if (!observed.etcd().available()) {
                if (facts.get().hasMemberData()) {
                    provision.put(name, plan.as(MemberRole.MEMBER, Optional.empty()));
                }
            } else if (p.etcd().isEmpty()) {
                provision.put(name, plan.as(MemberRole.STANDBY, Optional.empty()));
            } else if (MemberMatch.neverStarted(p.etcd().get())) {
                provision.put(name, plan.joining(p.etcd().get().id(),
                        JoinerPeers.of(name, p.peerUrl(), observed.etcd().members())));
            } else if (facts.get().hasMemberData()) {
                provision.put(name, plan.as(MemberRole.MEMBER, Optional.of(p.etcd().get().id())));
            }
        }
        MembershipChange change = MembershipPlanner.next(cluster, observed, match, now,
                member -> fitness.fit(member.getName()));
        return new Decision(Decision.Mode.CONVERGE, provision, change, ConditionReason.Converging.name(), change.describe(),
                MembershipPlanner.nextReplacement(cluster, observed, match), Optional.empty());
    }
}
