package dev.etcdvm.operator.reconciler.machines;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import java.util.Optional;

/**
 * A machine to take out of service, and the etcd member (hex id) it must still hold for that to happen;
 * empty when any data of this cluster will do (deleting the whole cluster).
 */
public record Retiree(MemberSpec machine, Optional<String> memberId) {
}
