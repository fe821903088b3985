package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import java.util.List;
import java.util.Optional;

/**
 * A machine to take out of service.
 *
 * @param memberId the etcd member (hex id) it must still hold for that to happen; empty when any data of
 *     this cluster will do (deleting the whole cluster)
 * @param currentMembers the ids etcd lists now: a machine holding one of them runs a member (under
 *     another name or address) and is left alone
 */
public record Retiree(MemberSpec machine, Optional<String> memberId, List<String> currentMembers) {
    /** A machine of a cluster being deleted: any data of this cluster will do. */
    public static Retiree ofDeletedCluster(MemberSpec machine) {
        return new Retiree(machine, Optional.empty(), List.of());
    }
}
