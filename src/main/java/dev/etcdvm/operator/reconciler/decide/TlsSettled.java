package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.provision.ManagedFile;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether every member has taken up this pass's TLS material: its machine holds the certificates, keys and
 * trusted CAs of the plan, and etcd was started after the trusted CAs were written (it reads them only at
 * start). A CA rotation moves to its next phase only then, so no member is ever handed a certificate a
 * peer does not trust yet, and no CA is dropped while a member still presents a certificate it signed.
 */
public final class TlsSettled {
    private static final Set<String> TLS_FILES = Set.of(HostLayout.CA_CERT, HostLayout.SERVER_CERT,
            HostLayout.SERVER_KEY, HostLayout.PEER_CERT, HostLayout.PEER_KEY);

    private TlsSettled() {
    }

    /** What the next phase waits for, or empty when every member has settled. */
    public static Optional<String> waitingFor(Map<String, MemberPlan> plans, ObservedCluster observed, MemberMatch match) {
        if (!observed.etcd().available() || !match.settled()
                || !observed.etcd().members().stream().allMatch(EtcdMemberView::healthy)) {
            return Optional.of("every member to be healthy, with no membership change in flight");
        }
        for (Map.Entry<String, MemberPlan> plan : plans.entrySet()) {
            Optional<HostFacts> facts = observed.host(plan.getKey()).flatMap(HostObservation::facts);
            if (facts.isEmpty()) {
                return Optional.of(plan.getKey() + "'s machine to be reachable");
            }
            if (!holdsTlsFiles(plan.getValue(), facts.get())) {
                return Optional.of(plan.getKey() + " to hold its new certificates");
            }
            if (!trustLoaded(facts.get())) {
                return Optional.of(plan.getKey() + " to restart with its trusted CAs");
            }
        }
        return Optional.empty();
    }

    private static boolean holdsTlsFiles(MemberPlan plan, HostFacts facts) {
        return plan.files().stream().filter(f -> TLS_FILES.contains(f.path())).allMatch(f -> holds(facts, f));
    }

    private static boolean holds(HostFacts facts, ManagedFile file) {
        HostFacts.RemoteFileState state = facts.files().get(file.path());
        return state != null && state.attributes().split(" ")[0].equals(file.sha256());
    }

    private static boolean trustLoaded(HostFacts facts) {
        HostFacts.RemoteFileState ca = facts.files().get(HostLayout.CA_CERT);
        return "active".equals(facts.serviceState()) && ca != null && facts.serviceStarted() >= ca.modified();
    }
}
