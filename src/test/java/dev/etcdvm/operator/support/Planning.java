package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.decide.ClusterPlanner;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.Fitness;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.decide.MembershipPlanner;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/** The planners fed the way a pass feeds them: the spec paired with etcd and preflight checked, once. */
public final class Planning {
    private Planning() {
    }

    public static Decision decide(EtcdVmCluster cluster, ObservedCluster observed, Map<String, MemberPlan> plans,
            Instant now) {
        return ClusterPlanner.decide(cluster, observed, MemberMatch.of(cluster, observed.etcd()),
                Fitness.of(plans, observed), plans, now);
    }

    public static MembershipChange next(EtcdVmCluster cluster, ObservedCluster observed, Instant now,
            Predicate<MemberSpec> hostReady) {
        return MembershipPlanner.next(cluster, observed, MemberMatch.of(cluster, observed.etcd()), now, hostReady);
    }
}
