package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.tls.ClusterTls;
import java.util.LinkedHashMap;
import java.util.Map;

/** The plan of every member's machine, from the spec and this pass's certificates. */
public final class DesiredMembers {
    private DesiredMembers() {
    }

    /** Every member as a founder of a new cluster; the planner gives each its role once the cluster exists. */
    public static Map<String, MemberPlan> plans(EtcdVmCluster cluster, ClusterTls tls) {
        Map<String, MemberPlan> plans = new LinkedHashMap<>();
        String ref = cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
        for (MemberSpec member : cluster.getSpec().getMembers()) {
            plans.put(member.getName(), MemberPlan.of(cluster.getSpec(), member, cluster.getSpec().getMembers(),
                    "new", cluster.getMetadata().getUid(), ref, tls.members().get(member.getName())));
        }
        return plans;
    }
}
