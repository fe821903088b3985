package dev.etcdvm.operator.provision;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How far a machine is from its plan, from the probe's facts alone: what provisioning will change there, and
 * whether the member running there needs a restart afterwards. The provisioner acts on exactly this, and the
 * planner plans restarts from it, so both see the same drift.
 *
 * @param archive a joiner's data dir holds another member, set aside before it joins
 * @param staleFiles files whose content, mode or owner differ from the plan's
 * @param binaryStale the installed release is not the plan's
 * @param binaryAtRestart a serving member gets its new binary at its own restart, not now
 * @param enable the service is to be enabled
 * @param start the service is to be started (it is not running)
 * @param restartPending the running member will run on files or a binary older than its plan's
 */
public record MachineDrift(boolean archive, List<ManagedFile> staleFiles, boolean binaryStale, boolean binaryAtRestart,
        boolean enable, boolean start, boolean restartPending) {
    /**
     * Files whose change needs no restart: they do not concern the running process, or (the member's own
     * certificates and keys) etcd reads them from disk on every new TLS handshake. Only the trusted CA is
     * read once, at start.
     */
    static final Set<String> NO_RESTART_NEEDED = Set.of(HostLayout.MARKER_FILE, HostLayout.INITIAL_ENV_FILE,
            HostLayout.MEMBER_ID_FILE, HostLayout.INSTALL_RECORD_FILE, HostLayout.SERVER_CERT, HostLayout.SERVER_KEY,
            HostLayout.PEER_CERT, HostLayout.PEER_KEY);

    public MachineDrift {
        staleFiles = List.copyOf(staleFiles);
    }

    public static MachineDrift of(MemberPlan plan, HostFacts observed) {
        boolean archive = plan.role() == MemberRole.JOINER && holdsAnotherMember(plan, observed);
        HostFacts facts = archive ? observed.withDataArchived() : observed;
        List<ManagedFile> stale = staleFiles(plan, facts);
        boolean binaryStale = !binaryCurrent(plan, facts);
        // A serving member gets its new binary at its own restart: installed now, a crash of any member
        // would start it early, and a broken release could take down several members at once.
        boolean binaryAtRestart = binaryStale && plan.role().runs() && "active".equals(facts.serviceState())
                && facts.installedVersion().isPresent();
        boolean enable = plan.role().runs() && !facts.serviceEnabled();
        boolean start = plan.role().runs() && !facts.serviceActive();
        // Only a settled service has a start time to compare with: one still activating (etcd waiting
        // for peers or catching up) is left alone until it is active.
        boolean settled = "active".equals(facts.serviceState()) && facts.serviceStarted() > 0;
        boolean restartPending = plan.role().runs() && !start && (binaryStale
                || stale.stream().anyMatch(f -> !NO_RESTART_NEEDED.contains(f.path()))
                || settled && (facts.binaryModified() > facts.serviceStarted() || newerThanService(plan, facts)));
        return new MachineDrift(archive, stale, binaryStale, binaryAtRestart, enable, start, restartPending);
    }

    /** Whether provisioning has anything to do on the machine; a restart alone is not provisioning's to do. */
    public boolean provisioningNeeded() {
        return archive || !staleFiles.isEmpty() || binaryStale && !binaryAtRestart || enable || start;
    }

    /** The facts provisioning works from: a joiner's old member data already set aside. */
    public HostFacts startingFrom(HostFacts observed) {
        return archive ? observed.withDataArchived() : observed;
    }

    public boolean unitChanged() {
        return staleFiles.stream().anyMatch(f -> f.path().equals(HostLayout.UNIT_FILE));
    }

    /**
     * A joiner's data dir may hold a member from an earlier life (a removed member, a rebuilt cluster):
     * started on it, etcd would ignore initial-cluster and come back with the old identity.
     */
    static boolean holdsAnotherMember(MemberPlan plan, HostFacts facts) {
        return facts.hasMemberData() && !facts.memberId().equals(plan.memberId());
    }

    static boolean binaryCurrent(MemberPlan plan, HostFacts facts) {
        return facts.installedVersion().equals(Optional.of(plan.release().version()));
    }

    /** Initial-cluster settings only matter while the member has never started. */
    static List<ManagedFile> staleFiles(MemberPlan plan, HostFacts facts) {
        return plan.wantedFiles(facts.hasMemberData()).stream().filter(f -> {
            HostFacts.RemoteFileState state = facts.files().get(f.path());
            return state == null || !state.attributes().equals(attributes(f));
        }).toList();
    }

    /** A crashed earlier pass may have written files without restarting: their mtime tells. */
    private static boolean newerThanService(MemberPlan plan, HostFacts facts) {
        return plan.files().stream()
                .filter(f -> !NO_RESTART_NEEDED.contains(f.path()))
                .map(f -> facts.files().get(f.path()))
                .anyMatch(state -> state != null && state.modified() > facts.serviceStarted());
    }

    static String attributes(ManagedFile file) {
        return file.sha256() + " " + file.mode() + " " + file.owner() + " " + file.group();
    }
}
