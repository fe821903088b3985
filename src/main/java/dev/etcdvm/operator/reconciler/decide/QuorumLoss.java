package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.api.v1alpha1.MemberStatus;
import dev.etcdvm.operator.api.v1alpha1.QuorumLossStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a majority of the voting members is out while no member in sight leads. A voter is proven out when its
 * machine answers without the member's data (rebuilt, wiped); a voter whose machine cannot be reached is unknown,
 * not lost: it may be running, even with a majority of its own on the other side of a network split. The voters
 * are those status last recorded, so a loss is judged against the cluster as it was, not as the spec says it
 * should be. Pure: what to do about it is {@link QuorumRecovery}'s.
 */
public final class QuorumLoss {
    private QuorumLoss() {
    }

    /**
     * @param since when the outage was first seen (kept from status across passes)
     * @param out the voters proven out: their machines answer without the member's data
     * @param unreachable the voters whose machines cannot be reached: unknown
     * @param survivor the surviving voter with the most advanced data whose own endpoint says how far it goes
     * @param voters how many voters the cluster had
     */
    public record Outage(Instant since, List<String> out, List<String> unreachable, Optional<Survivor> survivor,
            int voters) {
        public boolean declared(EtcdVmCluster cluster, Instant now) {
            return !now.isBefore(since.plusSeconds(cluster.getSpec().getQuorumLossAfterSeconds()));
        }

        /**
         * The voters out of sight are enough to be a working majority between them: as far as this operator can
         * tell, it looks at the minority side of a split, and nothing proves the cluster lost.
         */
        public boolean partitioned() {
            return unreachable.size() >= MemberMatch.quorum(voters);
        }

        /**
         * Names this loss, for a choice to name it back: derived from the cluster, the etcd cluster that lost its
         * quorum and when the loss was first seen, so no value written before the loss can name it.
         */
        public String id(EtcdVmCluster cluster) {
            return ShortId.ofLoss(cluster.getMetadata().getUid(), cluster.getStatus().getClusterId(), since);
        }
    }

    /**
     * @param memberId the member id recorded on its machine, which must match the one etcd knew it by
     * @param revision the store revision its data holds
     */
    public record Survivor(String name, String memberId, long revision, String clientUrl, String version) {
    }

    /** The outage, if a majority of the voters last recorded is out and nobody leads. */
    public static Optional<Outage> find(EtcdVmCluster cluster, ObservedCluster observed, Instant now) {
        EtcdVmClusterStatus status = cluster.getStatus();
        if (status == null || status.getClusterId() == null
                || observed.etcd().members().stream().anyMatch(EtcdMemberView::leader)) {
            return Optional.empty();
        }
        List<MemberStatus> voters = DataLoss.lastVoters(cluster);
        List<String> out = voters.stream().filter(v -> isOut(cluster, v, observed)).map(MemberStatus::getName).toList();
        List<String> unreachable = voters.stream().filter(v -> !out.contains(v.getName()))
                .filter(v -> observed.host(v.getName()).filter(HostObservation::isReachable).isEmpty())
                .map(MemberStatus::getName).toList();
        int in = voters.size() - out.size() - unreachable.size();
        if (voters.isEmpty() || in >= MemberMatch.quorum(voters.size())) {
            return Optional.empty();
        }
        Instant since = Optional.ofNullable(status.getQuorumLoss()).map(QuorumLossStatus::getSince).map(Instant::parse)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS));
        Optional<Survivor> survivor = voters.stream().filter(v -> !out.contains(v.getName()) && !unreachable.contains(v.getName()))
                .map(v -> survivor(v, observed)).flatMap(Optional::stream)
                .max(Comparator.comparingLong(Survivor::revision).thenComparing(Survivor::name, Comparator.reverseOrder()));
        return Optional.of(new Outage(since, out, unreachable, survivor, voters.size()));
    }

    /**
     * A voter is proven out when the spec moved it to another machine, or its machine answers and holds no member
     * data (rebuilt, wiped).
     */
    private static boolean isOut(EtcdVmCluster cluster, MemberStatus voter, ObservedCluster observed) {
        Optional<HostObservation> host = observed.host(voter.getName());
        return !DataLoss.onSpecMachine(cluster, voter) || host.filter(HostObservation::isReachable)
                .flatMap(HostObservation::facts).filter(f -> !f.hasMemberData()).isPresent();
    }

    /**
     * A voter still holding its data whose own endpoint answers (etcd reports its status without a leader), and
     * whose machine records the member id etcd knew it by: that data can be proved to be the member's.
     */
    private static Optional<Survivor> survivor(MemberStatus voter, ObservedCluster observed) {
        Optional<EtcdMemberView> view = observed.etcd().members().stream()
                .filter(m -> Objects.equals(m.id(), voter.getId()) && m.revision() != null).findFirst();
        Optional<String> recorded = observed.host(voter.getName()).flatMap(HostObservation::facts)
                .flatMap(HostFacts::memberId);
        if (view.isEmpty() || recorded.isEmpty() || !recorded.get().equals(voter.getId())
                || view.get().clientUrls().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Survivor(voter.getName(), voter.getId(), view.get().revision(),
                view.get().clientUrls().get(0), view.get().version()));
    }
}
