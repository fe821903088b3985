package dev.etcdvm.operator.support;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.MemberTls;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.Fitness;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.decide.MembershipChange;
import dev.etcdvm.operator.reconciler.decide.RetiringMembers;
import dev.etcdvm.operator.reconciler.kube.SpecFence;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Pass contexts for step tests, built the way the reconciler builds them. */
public final class Passes {
    /** Placeholder certificates for every member: steps under test never parse them. */
    public static ClusterTls placeholderTls(EtcdVmCluster cluster) {
        Map<String, MemberTls> members = cluster.getSpec().getMembers().stream().collect(Collectors.toMap(
                MemberSpec::getName, m -> new MemberTls("ca", "server", "server-key", "peer", "peer-key")));
        return new ClusterTls("ca", members, "op", "opk", Instant.EPOCH);
    }

    private Passes() {
    }

    public static Decision converging(MembershipChange change) {
        return new Decision(Decision.Mode.CONVERGE, Map.of(), change, "Converging", change.describe(), Optional.empty(), Optional.empty());
    }

    public static Pass of(EtcdVmCluster cluster, ObservedCluster observed, Decision decision, Instant now) {
        return of(cluster, observed, decision, now, () -> false);
    }

    public static Pass of(EtcdVmCluster cluster, ObservedCluster observed, Decision decision, Instant now,
            SpecFence fence) {
        MemberMatch match = MemberMatch.of(cluster, observed.etcd());
        return new Pass(cluster, now, placeholderTls(cluster), new FakeHosts(cluster.getMetadata().getName()), fence, observed, match,
                new Fitness(Map.of()), decision, RetiringMembers.of(cluster, observed.etcd(), match), Effects.NONE);
    }
}
