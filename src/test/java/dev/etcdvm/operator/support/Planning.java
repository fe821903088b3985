package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.decide.ClusterPlanner;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.Fitness;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.decide.MembershipPlanner;
import dev.etcdvm.operator.reconciler.decide.RecordSeal;
import dev.etcdvm.operator.reconciler.decide.SnapshotOffer;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The planners fed the way a pass feeds them: the spec paired with etcd and preflight checked, once. */
public final class Planning {
    private Planning() {
    }

    public static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, Map<String, MemberPlan> plans,
            Instant now) {
        return decide(cluster, observed, plans, List.of(), now);
    }

    /** @param knownTrust trusted-CA files members may hold besides the plans' (the one before, in a CA rotation) */
    public static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, Map<String, MemberPlan> plans,
            List<String> knownTrust, Instant now) {
        return ClusterPlanner.decide(cluster, observed, MemberMatch.of(cluster, observed.etcd()),
                Fitness.of(plans, observed), plans, knownTrust, now);
    }

    /** The seal a test cluster's recovery records carry: one fixed key, as a cluster's Secret would hold. */
    public static final RecordSeal SEAL = RecordSeal.withKey("a test seal key of thirty-two bytes".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII));

    /** As a pass decides once a quorum loss is declared: with the store's newest snapshot as an offer. */
    public static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, Map<String, MemberPlan> plans,
            Instant now, SnapshotOffer offer) {
        return ClusterPlanner.decide(cluster, observed, MemberMatch.of(cluster, observed.etcd()),
                Fitness.of(plans, observed), plans, List.of(), now, offer, SEAL);
    }

    /** Every member planned as a founder, with placeholder certificates: what the planners start from. */
    public static Map<String, MemberPlan> founders(EtcdVmCluster cluster, String uid) {
        Map<String, MemberPlan> plans = new LinkedHashMap<>();
        MemberTls tls = new MemberTls("ca", "sc", "sk", "pc", "pk");
        cluster.getSpec().getMembers().forEach(m -> plans.put(m.getName(), MemberPlan.of(cluster.getSpec(), m,
                cluster.getSpec().getMembers(), "new", uid, "ns/c", tls)));
        return plans;
    }

    public static MembershipChange next(EtcdVmCluster cluster, ObservedCluster observed, Instant now,
            Predicate<MemberSpec> hostReady) {
        return MembershipPlanner.next(cluster, observed, MemberMatch.of(cluster, observed.etcd()), now, hostReady);
    }
}
