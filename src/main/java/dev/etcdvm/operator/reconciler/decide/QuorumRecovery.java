package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.api.v1alpha1.RecoveryRecord;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.SnapshotRestore;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a declared quorum loss offers, and the recovery a user's choice starts. Nothing here acts: a choice is
 * recorded in status first, and carried out by the plan's recovery actions in the passes after.
 */
public final class QuorumRecovery {
    public static final String SURVIVOR = "survivor";
    public static final String SNAPSHOT = "snapshot";
    private static final DateTimeFormatter ARCHIVE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private QuorumRecovery() {
    }

    /** The status of a seen outage: who is out, and what each way out would keep. */
    public static QuorumLossStatus report(EtcdVmCluster cluster, QuorumLoss.Outage outage, SnapshotOffer offer) {
        QuorumLossStatus status = new QuorumLossStatus();
        status.setId(outage.id(cluster));
        status.setSince(outage.since().toString());
        status.setOutMembers(outage.out());
        status.setUnreachableMembers(outage.unreachable());
        outage.survivor().ifPresent(s -> {
            status.setSurvivor(s.name());
            status.setSurvivorRevision(s.revision());
        });
        offer.newest().ifPresent(n -> {
            status.setSnapshotKey(n.key());
            status.setSnapshotRevision(n.revision());
        });
        return status;
    }

    /** The ways out, in words for the Ready condition, with the exact values that choose them. */
    public static String options(EtcdVmCluster cluster, QuorumLoss.Outage outage, SnapshotOffer offer) {
        String survivor = outage.survivor().map(s -> "'" + SURVIVOR + "' keeps " + s.name() + "'s data up to revision "
                + s.revision()).orElse("no '" + SURVIVOR + "': no surviving voter answers with its data");
        String snapshot = offer.newest().map(n -> "'" + SNAPSHOT + "' keeps snapshot " + n.key() + " up to revision "
                + n.revision()).orElse("no '" + SNAPSHOT + "': " + offer.problem());
        String id = outage.id(cluster);
        String risk = outage.unreachable().isEmpty() ? ""
                : ". Naming the unreachable voters gives them up: they are not stopped, and if they still run with a"
                        + " quorum of their own, what they accept until the network heals is lost then";
        return survivor + "; " + snapshot + ". Choose with annotation " + EtcdVmCluster.RECOVER_QUORUM_ANNOTATION
                + "=" + RecoveryRequest.of(SURVIVOR, id, outage.unreachable()) + " or ="
                + RecoveryRequest.of(SNAPSHOT, id, outage.unreachable()) + risk;
    }

    /**
     * The recovery a choice starts, or why it cannot be carried out. A choice names the loss declared now, and gives
     * up by name every other voter that cannot be reached (it cannot be proven stopped).
     *
     * @param request the annotation's value, see {@link RecoveryRequest}
     */
    public static Choice choose(EtcdVmCluster cluster, ObservedCluster observed, QuorumLoss.Outage outage,
            SnapshotOffer offer, String request, Instant now) {
        RecoveryRequest.Parsed parsed = RecoveryRequest.parse(request);
        if (parsed.request().isEmpty()) {
            return Choice.refused(parsed.refusal());
        }
        RecoveryRequest chosen = parsed.request().get();
        String lossId = outage.id(cluster);
        if (!lossId.equals(chosen.lossId())) {
            return Choice.refused(request + ": names loss " + chosen.lossId() + ", not the one declared now ("
                    + lossId + "); a choice made for another loss is never acted on");
        }
        List<String> notGivenUp = outage.unreachable().stream().filter(m -> !chosen.givenUp().contains(m)).toList();
        if (!notGivenUp.isEmpty()) {
            return Choice.refused(request + ": " + String.join(", ", notGivenUp) + " cannot be reached, so cannot be"
                    + " proven stopped; to give them up, choose " + RecoveryRequest.of(chosen.source(), lossId,
                    outage.unreachable()));
        }
        String source = chosen.source();
        RecoveryRecord record = new RecoveryRecord();
        record.setRequest(request);
        record.setLossId(lossId);
        record.setGivenUp(chosen.givenUp());
        record.setSource(source);
        Long highest = cluster.getStatus().getHighestRevision();
        if (SURVIVOR.equals(source)) {
            if (outage.survivor().isEmpty()) {
                return Choice.refused(request + ": no surviving voter answers with data this operator can prove is"
                        + " the member's (a recorded member id and a status endpoint that answers)");
            }
            QuorumLoss.Survivor survivor = outage.survivor().get();
            record.setSeed(survivor.name());
            record.setSeedMemberId(survivor.memberId());
            record.setKeptRevision(survivor.revision());
            highest = max(highest, survivor.revision());
        } else if (SNAPSHOT.equals(source)) {
            if (offer.newest().isEmpty()) {
                return Choice.refused(request + ": " + offer.problem());
            }
            Optional<String> seed = outage.survivor().map(QuorumLoss.Survivor::name)
                    .or(() -> ownMachine(cluster, observed));
            if (seed.isEmpty()) {
                return Choice.refused(request + ": no reachable machine carries this cluster's marker and release to"
                        + " restore the snapshot on");
            }
            SnapshotRestore snapshot = offer.newest().get();
            record.setSeed(seed.get());
            record.setSeedMemberId(observed.host(seed.get()).flatMap(HostObservation::facts)
                    .flatMap(HostFacts::memberId).orElse(null));
            record.setSnapshotKey(snapshot.key());
            record.setKeptRevision(snapshot.revision());
            highest = max(highest, outage.survivor().map(QuorumLoss.Survivor::revision).orElse(null));
        } else {
            return Choice.refused(request + ": unknown source '" + source + "'; the value must be "
                    + RecoveryRequest.form());
        }
        Instant started = now.truncatedTo(ChronoUnit.SECONDS);
        record.setHighestRevisionBefore(highest);
        record.setToken(cluster.getMetadata().getUid() + "-recovered-" + started.getEpochSecond());
        record.setFormerClusterId(cluster.getStatus().getClusterId());
        record.setArchive(dataDir(cluster) + ".recovery-" + archiveStamp(started));
        record.setStartedAt(started.toString());
        return new Choice(Optional.of(record), "");
    }

    /** The time naming a recovery's archive of the seed's old data dir, e.g. 20261201T120000Z. */
    public static String archiveStamp(Instant started) {
        return ARCHIVE_TIME.format(started);
    }

    /** A chosen recovery, or why the choice was refused (nothing is then done). */
    public record Choice(Optional<RecoveryRecord> recovery, String refusal) {
        static Choice refused(String why) {
            return new Choice(Optional.empty(), why);
        }
    }

    /**
     * The recovery, completed with the new cluster's id, once it took hold: the seed leads a cluster other than the
     * former one. Until then it goes on.
     */
    public static Optional<RecoveryRecord> completed(RecoveryRecord recovery, ObservedCluster observed, Instant now) {
        boolean seedLeads = observed.etcd().members().stream()
                .anyMatch(m -> m.leader() && recovery.getSeed().equals(m.name()));
        return observed.etcd().clusterId().filter(id -> seedLeads && !id.equals(recovery.getFormerClusterId()))
                .map(id -> {
                    RecoveryRecord done = Serialization.clone(recovery);
                    done.setNewClusterId(id);
                    done.setCompletedAt(now.truncatedTo(ChronoUnit.SECONDS).toString());
                    return done;
                });
    }

    /** What may be missing after a recovery, in words for the DataLossPossible condition. */
    public static String possibleLoss(RecoveryRecord recovery) {
        String from = SNAPSHOT.equals(recovery.getSource()) ? "snapshot " + recovery.getSnapshotKey()
                : "the data of " + recovery.getSeed();
        Long kept = recovery.getKeptRevision();
        Long highest = recovery.getHighestRevisionBefore();
        String range = highest != null && kept != null && highest > kept
                ? "revisions " + (kept + 1) + " to " + highest + " may be missing, and any written after the operator last"
                        + " looked"
                : "writes committed after revision " + kept + " that only the lost members held may be missing";
        return "the quorum was recovered from " + from + " (revision " + kept + "): " + range + ". Once checked,"
                + " acknowledge with annotation " + EtcdVmCluster.ACCEPT_DATA_LOSS_ANNOTATION + "=<any new value>";
    }

    /** A voter's machine of this cluster, reachable, holding the release (a snapshot can be restored there). */
    private static Optional<String> ownMachine(EtcdVmCluster cluster, ObservedCluster observed) {
        String uid = cluster.getMetadata().getUid();
        return cluster.getSpec().getMembers().stream().map(MemberSpec::getName)
                .filter(name -> observed.host(name).flatMap(HostObservation::facts)
                        .filter(f -> f.marker().filter(uid::equals).isPresent() && f.installedVersion().isPresent())
                        .isPresent())
                .findFirst();
    }

    private static String dataDir(EtcdVmCluster cluster) {
        return cluster.getSpec().getEtcd().getDataDir();
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }

    /** The leader's store revision now, to raise the recorded highest. */
    public static Optional<Long> leaderRevision(ObservedCluster observed) {
        return observed.etcd().members().stream().filter(EtcdMemberView::leader).map(EtcdMemberView::revision)
                .filter(Objects::nonNull).findFirst();
    }
}
