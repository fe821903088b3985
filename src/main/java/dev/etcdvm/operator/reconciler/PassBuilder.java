package dev.etcdvm.operator.reconciler;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.pki.PkiException;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.backup.Backups;
import dev.etcdvm.operator.reconciler.backup.SnapshotFirst;
import dev.etcdvm.operator.reconciler.backup.SnapshotLocator;
import dev.etcdvm.operator.reconciler.decide.ClientEndpoints;
import dev.etcdvm.operator.reconciler.decide.ClusterPlanner;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.DesiredMembers;
import dev.etcdvm.operator.reconciler.decide.Fitness;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.QuorumLoss;
import dev.etcdvm.operator.reconciler.decide.RecordSeal;
import dev.etcdvm.operator.reconciler.decide.RetiringMembers;
import dev.etcdvm.operator.reconciler.decide.SnapshotOffer;
import dev.etcdvm.operator.reconciler.decide.TlsSettled;
import dev.etcdvm.operator.reconciler.events.Announcement;
import dev.etcdvm.operator.reconciler.kube.OwnedSecrets;
import dev.etcdvm.operator.reconciler.kube.PassSecrets;
import dev.etcdvm.operator.reconciler.kube.SecretNotOwnedException;
import dev.etcdvm.operator.reconciler.kube.SpecFence;
import dev.etcdvm.operator.reconciler.kube.StatusSealKey;
import dev.etcdvm.operator.reconciler.machines.ClusterAccess;
import dev.etcdvm.operator.reconciler.observe.ClusterHosts;
import dev.etcdvm.operator.reconciler.observe.ClusterObserver;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Failpoints;
import dev.etcdvm.operator.reconciler.pass.Pace;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.tls.CaRotationEvents;
import dev.etcdvm.operator.reconciler.tls.ClusterCertificates;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import dev.etcdvm.operator.reconciler.tls.LeafRenewal;
import dev.etcdvm.operator.reconciler.validation.SpecValidator;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a pass's context once: validate, certificates, credentials, observe, pair, move a CA rotation on
 * when every member has settled, decide.
 * Each Secret is read at most once (through one {@link PassSecrets}), credentials are resolved once, and
 * the spec is paired with etcd's members once; the planner then reads the result.
 */
final class PassBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(PassBuilder.class);
    private final SpecValidator validator;
    private final ClusterCertificates certificates;
    private final ClusterAccess access;
    private final ClusterObserver observer;
    private final OwnedSecrets secrets;
    private final Failpoints failpoints;
    private final Backups backups;

    PassBuilder(SpecValidator validator, ClusterCertificates certificates, ClusterAccess access,
            ClusterObserver observer, OwnedSecrets secrets, Backups backups, Failpoints failpoints) {
        this.failpoints = failpoints;
        this.backups = backups;
        this.validator = validator;
        this.certificates = certificates;
        this.access = access;
        this.observer = observer;
        this.secrets = secrets;
    }

    /** Either the violations that stop the pass before anything is touched, or the pass to run. */
    record Start(List<SpecViolation> violations, Optional<Pass> pass) {
    }

    Start build(EtcdVmCluster cluster, SpecFence fence, Instant now) {
        PassSecrets passSecrets = new PassSecrets(secrets);
        List<SpecViolation> violations = validator.validate(cluster, passSecrets);
        if (!violations.isEmpty()) {
            return new Start(violations, Optional.empty());
        }
        ClusterTls tls;
        try {
            tls = certificates.ensure(cluster, passSecrets);
        } catch (SecretNotOwnedException e) {
            return new Start(List.of(new SpecViolation("metadata.name", e.getMessage(), true)), Optional.empty());
        } catch (PkiException e) {
            // The CA's Secret is unusable: the user's (named in the spec) or the cluster's own <name>-ca.
            String field = cluster.getSpec().getTls().getCaSecretRef() != null ? "spec.tls.caSecretRef" : "spec.tls";
            return new Start(List.of(new SpecViolation(field, e.getMessage(), true)), Optional.empty());
        }
        ClusterHosts hosts = access.forCluster(cluster, passSecrets);
        long started = System.nanoTime();
        ObservedCluster observed = observer.observe(cluster, tls, hosts);
        LOG.debug("observed in {} ms", (System.nanoTime() - started) / 1_000_000);
        certificates.publishEndpoints(cluster, passSecrets, ClientEndpoints.of(cluster, observed));
        Optional<SnapshotRestore> restore = Optional.empty();
        if (SnapshotLocator.forming(cluster)) {
            try {
                restore = Optional.of(backups.locate(cluster));
            } catch (IllegalStateException e) {
                // Never formed empty instead: nothing is done until the snapshot can be had.
                return new Start(List.of(new SpecViolation("spec.bootstrap.fromSnapshot", e.getMessage(), true)),
                        Optional.empty());
            }
        }
        Map<String, MemberPlan> plans = planned(cluster, tls, restore);
        MemberMatch match = MemberMatch.of(cluster, observed.etcd());
        Fitness fitness = Fitness.of(plans, observed);
        SnapshotOffer offer = snapshotOffer(cluster, observed, now);
        RecordSeal seal = seal(cluster, observed, passSecrets, now);
        Decision decision = ClusterPlanner.decide(cluster, observed, match, fitness, plans,
                tls.rotation().knownTrust(), now, offer, seal);
        Effects effects = LeafRenewal.announcement(tls.renewed()).map(a -> Effects.paced(Pace.STEADY, List.of(a)))
                .orElse(Effects.NONE);
        // A rotation moves on only in a pass that may change the cluster, once every member took up the last step.
        // Its first phase also waits for a snapshot taken for it, when backups are configured.
        if (decision.mode() == Decision.Mode.CONVERGE && tls.rotation().underWay()
                && TlsSettled.waitingFor(plans, observed, match).isEmpty()
                && SnapshotFirst.caRotationAhead(tls.rotation())
                        .filter(c -> SnapshotFirst.waiting(cluster, Optional.empty(), c)).isEmpty()) {
            Optional<ClusterCertificates.Advanced> advanced = certificates.advance(cluster, passSecrets);
            if (advanced.isPresent()) {
                tls = advanced.get().tls();
                plans = planned(cluster, tls, restore);
                fitness = Fitness.of(plans, observed);
                decision = ClusterPlanner.decide(cluster, observed, match, fitness, plans, tls.rotation().knownTrust(),
                        now, offer, seal);
                List<Announcement> told = new ArrayList<>(List.of(CaRotationEvents.of(advanced.get())));
                LeafRenewal.announcement(tls.renewed()).ifPresent(told::add);
                effects = effects.plus(Effects.paced(Pace.SOON, told));
                failpoints.reached(Failpoints.Point.AFTER_CA_PHASE);
            }
        }
        return new Start(List.of(), Optional.of(new Pass(cluster, now, tls, hosts, fence, observed, match, fitness,
                decision, RetiringMembers.of(cluster, observed.etcd(), match), effects)));
    }

    /**
     * Once a quorum loss is declared, the newest snapshot in the store is one way out: looked up then (and every pass
     * while it lasts, so the offer stays current), never while the cluster serves.
     */
    private SnapshotOffer snapshotOffer(EtcdVmCluster cluster, ObservedCluster observed, Instant now) {
        boolean declared = QuorumLoss.find(cluster, observed, now).filter(o -> o.declared(cluster, now)).isPresent();
        if (!declared) {
            return SnapshotOffer.NOT_LOOKED_UP;
        }
        if (cluster.getSpec().getBackup() == null) {
            return SnapshotOffer.none("spec.backup is not set: there is no store to recover from");
        }
        try {
            return SnapshotOffer.of(backups.newest(cluster, now));
        } catch (IllegalStateException e) {
            return SnapshotOffer.none(e.getMessage());
        }
    }

    /** The seal of recovery records, its key read (or made) only while a quorum loss is seen or recorded. */
    private static RecordSeal seal(EtcdVmCluster cluster, ObservedCluster observed, PassSecrets secrets, Instant now) {
        boolean inPlay = cluster.getStatus() != null && cluster.getStatus().getQuorumLoss() != null
                || QuorumLoss.find(cluster, observed, now).isPresent();
        return inPlay ? StatusSealKey.of(cluster, secrets).map(RecordSeal::withKey).orElse(RecordSeal.UNAVAILABLE)
                : RecordSeal.UNAVAILABLE;
    }

    /** The members' plans; while the cluster forms from a snapshot, each founder's data comes from it. */
    private static Map<String, MemberPlan> planned(EtcdVmCluster cluster, ClusterTls tls, Optional<SnapshotRestore> restore) {
        Map<String, MemberPlan> plans = DesiredMembers.plans(cluster, tls);
        restore.ifPresent(r -> plans.replaceAll((name, plan) -> plan.restoring(r)));
        return plans;
    }
}
