package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import dev.etcdvm.operator.provision.EtcdUrls;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.HostLayout;
import dev.etcdvm.operator.provision.InstallRecord;
import dev.etcdvm.operator.provision.ManagedFile;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.reconciler.observe.EtcdMemberView;
import dev.etcdvm.operator.reconciler.observe.HostObservation;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.validation.EtcdVersion;
import dev.etcdvm.operator.reconciler.validation.SpecViolation;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The spec changes a running cluster cannot take in place, found by comparing the spec with what the
 * machines recorded when they were provisioned and with what etcd reports, never with status alone.
 * The CRD refuses the same fields with CEL transition rules; this check also covers a spec changed
 * while the rules were not enforced (an older CRD, a restored backup) and a member re-spelled under
 * another address. What each field allows is the README's transition table.
 */
public final class Transitions {
    /** A setting a member with data was provisioned with and must keep, with where the spec says it. */
    private record Pinned(String field, String recordKey, Function<EtcdVmClusterSpec, String> wanted) {
    }

    private static final List<Pinned> PINNED = List.of(
            new Pinned("spec.etcd.dataDir", InstallRecord.DATA, s -> s.getEtcd().getDataDir()),
            new Pinned("spec.binary.installDir", InstallRecord.BIN, s -> s.getBinary().getInstallDir()),
            new Pinned("spec.etcd.runAsUser", InstallRecord.USER, s -> s.getEtcd().getRunAsUser()),
            new Pinned("spec.etcd.clientPort", InstallRecord.CLIENT_PORT, s -> String.valueOf(s.getEtcd().getClientPort())),
            new Pinned("spec.etcd.peerPort", InstallRecord.PEER_PORT, s -> String.valueOf(s.getEtcd().getPeerPort())));

    private Transitions() {
    }

    /**
     * @param knownTrust trusted-CA files (PEM) members may hold besides the plan's: the one before it during a
     *     CA rotation
     */
    public static List<SpecViolation> refused(EtcdVmCluster cluster, ObservedCluster observed, MemberMatch match,
            Map<String, MemberPlan> plans, List<String> knownTrust) {
        Map<String, SpecViolation> refused = new LinkedHashMap<>(); // one per field, the first machine telling
        String uid = cluster.getMetadata().getUid();
        List<MemberSpec> members = cluster.getSpec().getMembers();
        for (int i = 0; i < members.size(); i++) {
            MemberSpec member = members.get(i);
            String field = "spec.members[" + i + "]";
            observed.host(member.getName()).flatMap(HostObservation::facts)
                    .filter(f -> f.hasMemberData() && f.marker().equals(Optional.of(uid))).ifPresent(facts -> {
                pinnedSettings(cluster.getSpec(), member.getName(), facts, refused);
                if (mayBeCurrent(facts, observed)) {
                    recordedIdentity(field, member, facts).forEach(v -> refused.putIfAbsent(v.field(), v));
                }
                Optional.ofNullable(plans.get(member.getName()))
                        .flatMap(plan -> unknownCa(cluster, member.getName(), plan, facts, knownTrust))
                        .ifPresent(v -> refused.putIfAbsent(v.field(), v));
            });
        }
        advertisedPorts(cluster.getSpec(), observed.etcd().members(), refused);
        versionStep(cluster.getSpec().getVersion(), observed.etcd().members()).ifPresent(v -> refused.putIfAbsent(v.field(), v));
        for (int i = 0; i < match.paired().size(); i++) {
            MemberMatch.Paired paired = match.paired().get(i);
            String field = "spec.members[" + i + "]";
            if (paired.etcd().isPresent()) {
                renamed(field, paired).ifPresent(v -> refused.putIfAbsent(v.field(), v));
            } else {
                respelled(field, uid, paired.spec(), observed).ifPresent(v -> refused.putIfAbsent(v.field(), v));
            }
        }
        return List.copyOf(refused.values());
    }

    /**
     * etcd upgrades one minor version at a time: checked against the version each member runs, as etcd reports it
     * (the spec validation can only see status's recorded version, which anyone may edit). Going back is left to
     * the validation: a member halfway through an upgrade may return to the minor the cluster still runs.
     */
    private static Optional<SpecViolation> versionStep(String requested, List<EtcdMemberView> members) {
        Optional<EtcdVersion> wanted = EtcdVersion.tryParse(requested);
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        for (EtcdMemberView m : members) {
            Optional<EtcdVersion> running = Optional.ofNullable(m.version()).flatMap(EtcdVersion::tryParse);
            if (running.isPresent() && running.get().skipsAMinorTo(wanted.get())) {
                return Optional.of(SpecViolation.of("spec.version", "upgrade from " + running.get() + " (what "
                        + MemberMatch.nameOf(m) + " runs) to " + wanted.get() + " skips a minor version; upgrade one"
                        + " minor at a time"));
            }
        }
        return Optional.empty();
    }

    /** Directories, service user and ports live in the member's data, unit and peers' view of it. */
    private static void pinnedSettings(EtcdVmClusterSpec spec, String member, HostFacts facts,
            Map<String, SpecViolation> refused) {
        for (Pinned pinned : PINNED) {
            String wanted = pinned.wanted().apply(spec);
            facts.paths().recorded(pinned.recordKey()).filter(had -> !had.equals(wanted)).ifPresent(had ->
                    refused.putIfAbsent(pinned.field(), SpecViolation.of(pinned.field(), "changed from " + had + " to "
                            + wanted + ", but " + member + " holds member data provisioned with " + had
                            + "; this setting cannot change under a running member: set it back to " + had)));
        }
    }

    /**
     * The name and address a member was provisioned under. Checked while its data may belong to a current
     * member (etcd lists its id, or etcd cannot be asked): data of a member removed earlier is archived
     * when its machine joins again, under whatever name or address.
     */
    private static List<SpecViolation> recordedIdentity(String field, MemberSpec member, HostFacts facts) {
        List<SpecViolation> refused = new ArrayList<>();
        facts.paths().recorded(InstallRecord.NAME).filter(had -> !had.equals(member.getName())).ifPresent(had ->
                refused.add(SpecViolation.of(field + ".name", "the machine at " + member.getAddress() + " runs member "
                        + had + "; a running member cannot be renamed: set it back (to rename, remove the member and"
                        + " add it again under the new name)")));
        facts.paths().recorded(InstallRecord.ADDRESS).filter(had -> !had.equals(member.getAddress())).ifPresent(had ->
                refused.add(respelling(field, member.getAddress(), had)));
        return refused;
    }

    private static boolean mayBeCurrent(HostFacts facts, ObservedCluster observed) {
        return !observed.etcd().available() || facts.memberId().map(id -> observed.etcd().members().stream()
                .anyMatch(m -> m.id().equals(id))).orElse(true);
    }

    private static SpecViolation respelling(String field, String address, String had) {
        return SpecViolation.of(field + ".address", address + " reaches the machine of the running member at " + had
                + "; a running member's address cannot be changed in place: set it back (to move the member to"
                + " another machine, list that machine's address)");
    }

    /**
     * A member trusting a CA the operator does not know (the Secret recording what members trust was lost,
     * or the machine was changed by hand) cannot be rotated safely: certificates of any CA the operator
     * holds might be refused by it.
     */
    private static Optional<SpecViolation> unknownCa(EtcdVmCluster cluster, String member, MemberPlan plan,
            HostFacts facts, List<String> knownTrust) {
        Optional<String> wanted = plan.files().stream().filter(f -> f.path().equals(HostLayout.CA_CERT))
                .map(ManagedFile::sha256).findFirst();
        Optional<String> had = Optional.ofNullable(facts.files().get(HostLayout.CA_CERT))
                .map(state -> state.attributes().split(" ")[0]);
        if (wanted.isEmpty() || had.isEmpty() || wanted.equals(had) || knownTrust.stream()
                .map(pem -> ManagedFile.text(HostLayout.CA_CERT, pem, "0644", "root", "root").sha256())
                .anyMatch(had.get()::equals)) {
            return Optional.empty();
        }
        String field = cluster.getSpec().getTls().getCaSecretRef() != null ? "spec.tls.caSecretRef" : "spec.tls";
        return Optional.of(SpecViolation.of(field, member + " trusts a CA this cluster has no record of (was its"
                + " Secret " + cluster.getMetadata().getName() + "-member-tls deleted or a machine changed by hand?);"
                + " rotating to a new CA could cut members off from each other: restore that Secret or the"
                + " member's " + HostLayout.CA_CERT));
    }

    /** Machines provisioned before the install record held ports: etcd's own member list tells. */
    private static void advertisedPorts(EtcdVmClusterSpec spec, List<EtcdMemberView> members,
            Map<String, SpecViolation> refused) {
        List<String> addresses = spec.getMembers().stream().map(MemberSpec::getAddress).toList();
        for (EtcdMemberView member : members) {
            portOtherThan(member.peerUrls(), addresses, spec.getEtcd().getPeerPort()).ifPresent(url ->
                    refused.putIfAbsent("spec.etcd.peerPort", SpecViolation.of("spec.etcd.peerPort", "is "
                            + spec.getEtcd().getPeerPort() + ", but member " + MemberMatch.nameOf(member)
                            + " is known to its peers as " + url + "; the peer port cannot change under a running"
                            + " cluster: set it back")));
            portOtherThan(member.clientUrls(), addresses, spec.getEtcd().getClientPort()).ifPresent(url ->
                    refused.putIfAbsent("spec.etcd.clientPort", SpecViolation.of("spec.etcd.clientPort", "is "
                            + spec.getEtcd().getClientPort() + ", but member " + MemberMatch.nameOf(member)
                            + " serves clients at " + url + "; the client port cannot change under a running"
                            + " cluster: set it back")));
        }
    }

    private static Optional<String> portOtherThan(List<String> urls, List<String> addresses, int port) {
        return urls.stream().filter(url -> {
            URI uri = URI.create(url);
            return addresses.contains(EtcdUrls.addressOf(url)) && uri.getPort() > 0 && uri.getPort() != port;
        }).findFirst();
    }

    /** etcd keeps the name a member started with in its data; a renamed member would not match it. */
    private static Optional<SpecViolation> renamed(String field, MemberMatch.Paired paired) {
        EtcdMemberView member = paired.etcd().get();
        if (member.name().isEmpty() || member.name().equals(paired.spec().getName())) {
            return Optional.empty();
        }
        return Optional.of(SpecViolation.of(field + ".name", "etcd knows the member at " + paired.peerUrl() + " as "
                + member.name() + "; a running member cannot be renamed: set it back (to rename, remove the member"
                + " and add it again under the new name)"));
    }

    /**
     * A member listed under a new address that reaches the machine of a current member (its member id
     * says so) is the same member re-spelled, not a new machine: treated as new, its running data would
     * be archived. Machines provisioned before the install record held the address are found this way.
     */
    private static Optional<SpecViolation> respelled(String field, String uid, MemberSpec spec, ObservedCluster observed) {
        Optional<String> id = observed.host(spec.getName()).flatMap(HostObservation::facts)
                .filter(f -> f.marker().equals(Optional.of(uid))).flatMap(HostFacts::memberId);
        return id.flatMap(current -> observed.etcd().members().stream().filter(m -> m.id().equals(current)).findFirst())
                .map(m -> respelling(field, spec.getAddress(), m.peerUrls().isEmpty() ? MemberMatch.nameOf(m)
                        : EtcdUrls.addressOf(m.peerUrls().get(0))));
    }
}
