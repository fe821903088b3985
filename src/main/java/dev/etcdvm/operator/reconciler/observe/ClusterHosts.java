package dev.etcdvm.operator.reconciler.observe;

import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.ssh.HostAccessException;
import dev.etcdvm.operator.ssh.RemoteHost;

/** SSH access to the machines of one cluster, with its credentials resolved once per pass. */
@FunctionalInterface
public interface ClusterHosts {
    /** A live session to the member's machine (reused when one is open). */
    RemoteHost open(MemberSpec member) throws HostAccessException;

    /** Credentials that could not be resolved: every machine fails the same way, and nothing is tried. */
    static ClusterHosts unusable(HostAccessException why) {
        return member -> {
            throw why;
        };
    }
}
