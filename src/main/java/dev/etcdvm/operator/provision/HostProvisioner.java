package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.api.v1alpha1.BinaryDelivery;
import dev.etcdvm.operator.provision.ProvisionException.Reason;
import dev.etcdvm.operator.ssh.ExecResult;
import dev.etcdvm.operator.ssh.HostAccessException;
import dev.etcdvm.operator.ssh.RemoteCommand;
import dev.etcdvm.operator.ssh.RemoteHost;
import dev.etcdvm.operator.timing.PhaseTimings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one machine to its plan: layout, release, files, service. Idempotent by content: a machine
 * already in shape costs the probe's single round trip and nothing else. It never restarts a running
 * member itself; it reports the restart as pending so the caller can do one member at a time.
 */
public final class HostProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(HostProvisioner.class);
    /** Room left on a disk after what is staged there: staging never fills a machine's disk. */
    private static final long HEADROOM_BYTES = 64L * 1024 * 1024;
    private final ReleaseCache releases;
    private final Duration commandTimeout;
    private final Duration installTimeout;
    private final PhaseTimings timings;

    public HostProvisioner(ReleaseCache releases, Duration commandTimeout, Duration installTimeout,
            PhaseTimings timings) {
        this.releases = releases;
        this.timings = timings;
        this.commandTimeout = commandTimeout;
        this.installTimeout = installTimeout;
    }

    /**
     * @param observed the probe's findings, which passed {@link Preflight} this pass
     * @param currentMembers ids (hex) etcd lists now: data of one of them is never archived
     */
    public HostOutcome provision(RemoteHost host, MemberPlan plan, HostFacts observed, List<String> currentMembers)
            throws HostAccessException, ProvisionException {
        MachineDrift drift = MachineDrift.of(plan, observed);
        if (drift.archive()) {
            archiveData(host, plan, currentMembers);
        }
        HostFacts facts = drift.startingFrom(observed);
        List<ManagedFile> stale = drift.staleFiles();
        if (!stale.isEmpty() || drift.binaryStale()) {
            change(host, plan.clusterUid(), RemoteScript.LAYOUT, List.of(plan.layout().runAsUser(),
                    plan.layout().dataDir(), plan.layout().installDir(), HostLayout.CONFIG_DIR, HostLayout.PKI_DIR),
                    commandTimeout, "prepare layout");
        }
        if (drift.binaryStale() && !drift.binaryAtRestart()) {
            PhaseTimings.Stopwatch install = timings.start("install");
            installRelease(host, plan, ReleaseSource.assetArch(facts.arch()).orElseThrow());
            install.stop();
            LOG.info("installed etcd {} on {}", plan.release().version(), host.endpoint().host());
        }
        if (!stale.isEmpty()) {
            PhaseTimings.Stopwatch files = timings.start("files");
            writeFiles(host, plan.clusterUid(), stale);
            files.stop();
            LOG.info("wrote {} on {}", stale, host.endpoint().host());
        }
        if (drift.start() && plan.role() == MemberRole.FOUNDER && plan.restore().isPresent() && !facts.hasMemberData()) {
            PhaseTimings.Stopwatch restoring = timings.start("restore");
            restore(host, plan, plan.restore().get());
            restoring.stop();
            LOG.info("restored {} on {} from snapshot {}", plan.member().getName(), host.endpoint().host(),
                    plan.restore().get().key());
        }
        if (drift.unitChanged() || drift.enable() || drift.start()) {
            PhaseTimings.Stopwatch starting = timings.start("start");
            change(host, plan.clusterUid(), RemoteScript.SERVICE, List.of(HostLayout.UNIT_NAME,
                    yes(drift.unitChanged() && !drift.enable()), yes(drift.enable()), yes(drift.start())),
                    commandTimeout, "service");
            starting.stop();
        }
        return new HostOutcome(stale.stream().map(ManagedFile::path).toList(),
                drift.binaryStale() && !drift.binaryAtRestart(), drift.start(), drift.restartPending());
    }

    private static String yes(boolean value) {
        return value ? "yes" : "no";
    }

    /**
     * Restarts a running member, on the binary of its plan (installed first when it runs another); the
     * caller makes sure the cluster can spare it. The machine must carry this cluster's marker, checked by
     * the same script that restarts.
     */
    public void restart(RemoteHost host, MemberPlan plan, HostFacts facts) throws HostAccessException, ProvisionException {
        if (!MachineDrift.binaryCurrent(plan, facts)) {
            installRelease(host, plan, ReleaseSource.assetArch(facts.arch()).orElseThrow());
            LOG.info("installed etcd {} on {} for its restart", plan.release().version(), host.endpoint().host());
        }
        String clusterUid = plan.clusterUid();
        change(host, clusterUid, RemoteScript.RESTART, List.of(HostLayout.MARKER_FILE,
                clusterUid, HostLayout.UNIT_NAME, HostLayout.PLANNED_RESTART_FILE), commandTimeout, "restart");
    }

    private void archiveData(RemoteHost host, MemberPlan plan, List<String> currentMembers)
            throws HostAccessException, ProvisionException {
        List<String> args = new ArrayList<>(List.of(HostLayout.MARKER_FILE, plan.clusterUid(), HostLayout.MEMBER_ID_FILE,
                HostLayout.UNIT_NAME, plan.layout().dataDir(), plan.layout().runAsUser()));
        args.addAll(currentMembers);
        ExecResult result = change(host, plan.clusterUid(), RemoteScript.ARCHIVE_DATA, args,
                commandTimeout, "archive old data");
        LOG.info("archived old member data on {} to {} before joining as {}", host.endpoint().host(),
                result.stdout().strip(), plan.memberId().orElse("?"));
    }

    /**
     * Takes a machine out of service: stops and disables etcd; with {@code wipe} also removes the data
     * and binaries its install record names, configuration, certificates and unit. The script itself
     * first proves the machine is this cluster's (and, when given, holds that member's data); otherwise
     * it touches nothing and fails with {@link ProvisionException.Reason#NotOwned}.
     *
     * @param memberId the etcd member (hex) the machine must hold, when a removed member is retired
     * @param currentMembers ids etcd lists now: a machine holding one is refused
     */
    public void retire(RemoteHost host, String clusterUid, Optional<String> memberId, List<String> currentMembers,
            boolean wipe) throws HostAccessException, ProvisionException {
        List<String> args = new ArrayList<>(List.of(HostLayout.MARKER_FILE, clusterUid, HostLayout.MEMBER_ID_FILE,
                memberId.orElse(""), HostLayout.UNIT_NAME, HostLayout.UNIT_FILE, HostLayout.CONFIG_DIR,
                HostLayout.INSTALL_RECORD_FILE, wipe ? "yes" : "no"));
        args.addAll(currentMembers);
        change(host, clusterUid, RemoteScript.RETIRE, args, commandTimeout, wipe ? "wipe" : "stop");
        LOG.info("{} etcd on {}", wipe ? "wiped" : "stopped and disabled", host.endpoint().host());
    }

    /**
     * Writes the identity of a running member's data into its data dir, once: the script proves the machine is this
     * cluster's and records this member, and that the data dir holds a write-ahead log; it never replaces another
     * identity ({@link ProvisionException.Reason#NotOwned}, nothing changed).
     */
    public void markData(RemoteHost host, MemberPlan plan, String memberId, String dataId)
            throws HostAccessException, ProvisionException {
        change(host, plan.clusterUid(), RemoteScript.MARK_DATA, List.of(HostLayout.MARKER_FILE, plan.clusterUid(),
                HostLayout.MEMBER_ID_FILE, memberId, plan.layout().dataIdFile(), dataId), commandTimeout, "mark data");
        LOG.info("marked the data of member {} on {} as {}", memberId, host.endpoint().host(), dataId);
    }

    /**
     * Recovers a lost quorum on this machine: its data dir set aside and a one-member cluster restored with a new
     * token, from its own member database or a snapshot streamed here; the script proves first that the machine is
     * this cluster's and the data the chosen member's, and refuses ({@link ProvisionException.Reason#NotOwned})
     * otherwise, having touched nothing.
     */
    public void recover(RemoteHost host, MemberPlan plan, QuorumRestore restore)
            throws HostAccessException, ProvisionException {
        String staging = restore.snapshot().isPresent() ? stageSnapshot(host, restore.snapshot().get(), 1) : null;
        try {
            boolean etcdutl = !plan.release().version().startsWith("3.4.");
            ExecResult result = change(host, plan.clusterUid(), RemoteScript.RECOVER, List.of(
                    HostLayout.MARKER_FILE, plan.clusterUid(), HostLayout.MEMBER_ID_FILE, restore.memberId().orElse(""),
                    HostLayout.UNIT_NAME, plan.layout().dataDir(), restore.archiveStamp(), plan.layout().runAsUser(),
                    snapshotTool(plan), staging == null ? "" : staging + "/snapshot.db",
                    restore.snapshot().map(SnapshotRestore::sha256).orElse(""), plan.member().getName(),
                    EtcdUrls.peerUrl(plan.member().getAddress(), plan.peerPort()), restore.token(),
                    Long.toString(etcdutl ? restore.bumpRevisionBy() : 0)), installTimeout, "quorum recovery");
            LOG.info("quorum recovered on {} as a one-member cluster ({}); old data kept in {}", host.endpoint().host(),
                    result.stdout().isBlank() ? "restored" : result.stdout().strip(),
                    plan.layout().dataDir() + ".recovery-" + restore.archiveStamp());
        } finally {
            if (staging != null) {
                removeStaging(host, staging);
            }
        }
    }

    /** Initial-cluster settings only matter while the member has never started. */
    private void writeFiles(RemoteHost host, String clusterUid, List<ManagedFile> files)
            throws HostAccessException, ProvisionException {
        String staging = stage(host, "/tmp", files.stream().mapToLong(f -> f.content().length).sum());
        try {
            List<String> args = new ArrayList<>();
            Map<String, InputStream> uploads = new LinkedHashMap<>();
            for (int i = 0; i < files.size(); i++) {
                ManagedFile file = files.get(i);
                String staged = staging + "/" + i;
                uploads.put(staged, new ByteArrayInputStream(file.content()));
                args.addAll(List.of(staged, file.path(), file.mode(), file.owner(), file.group()));
            }
            host.upload(uploads, commandTimeout);
            change(host, clusterUid, RemoteScript.INSTALL_FILES, args, commandTimeout, "install files");
        } finally {
            removeStaging(host, staging);
        }
    }

    /**
     * Streams the snapshot from its store onto the machine (a disk-backed staging dir: a snapshot may not fit
     * a memory-backed /tmp), then restores the member's data with the release's own tool: etcdutl from 3.5 on,
     * which also moves the revision forward, etcdctl on 3.4.
     */
    private void restore(RemoteHost host, MemberPlan plan, SnapshotRestore snapshot)
            throws HostAccessException, ProvisionException {
        String staging = stageSnapshot(host, snapshot, 1);
        try {
            String staged = staging + "/snapshot.db";
            boolean etcdutl = !plan.release().version().startsWith("3.4.");
            String tool = snapshotTool(plan);
            change(host, plan.clusterUid(), RemoteScript.RESTORE, List.of(HostLayout.MARKER_FILE,
                    plan.clusterUid(), staged, snapshot.sha256(), tool, plan.member().getName(), snapshot.initialCluster(),
                    snapshot.token(), EtcdUrls.peerUrl(plan.member().getAddress(), plan.peerPort()), plan.layout().dataDir(),
                    plan.layout().runAsUser(), Long.toString(etcdutl ? snapshot.bumpRevisionBy() : 0)),
                    installTimeout, "restore snapshot");
        } finally {
            removeStaging(host, staging);
        }
    }

    /**
     * A restore drill on this member's machine: the snapshot is streamed there, read by the version's own tool
     * and restored into a scratch directory, all beside the member and never touching it.
     */
    public SnapshotCheck checkSnapshot(RemoteHost host, MemberPlan plan, SnapshotRestore snapshot)
            throws HostAccessException, ProvisionException {
        // The drill restores beside the staged copy, in the same place: room for both, never a full disk.
        String staging = stageSnapshot(host, snapshot, 2);
        try {
            ExecResult result = change(host, plan.clusterUid(), RemoteScript.DRILL, List.of(
                    staging + "/snapshot.db", snapshot.sha256(), snapshotTool(plan)), installTimeout, "restore drill");
            return SnapshotStatus.parse(result.stdout());
        } finally {
            removeStaging(host, staging);
        }
    }

    /** etcdutl from 3.5 on; etcdctl (API 3) on 3.4, which has no etcdutl. */
    private static String snapshotTool(MemberPlan plan) {
        return plan.layout().installDir() + (plan.release().version().startsWith("3.4.") ? "/etcdctl" : "/etcdutl");
    }

    /**
     * Streams a snapshot from its store to a fresh staging dir on the machine (disk-backed: a snapshot may not
     * fit a memory-backed /tmp) as snapshot.db; the caller removes the dir.
     */
    private String stageSnapshot(RemoteHost host, SnapshotRestore snapshot, int copies)
            throws HostAccessException, ProvisionException {
        String staging = stage(host, "/var/tmp", copies * snapshot.sizeBytes());
        WatchedSource in = null;
        try {
            in = new WatchedSource(snapshot.content().open());
            host.upload(staging + "/snapshot.db", in, installTimeout);
            return staging;
        } catch (IOException | RuntimeException e) {
            removeStaging(host, staging);
            throw new ProvisionException(Reason.CommandFailed, "snapshot " + snapshot.key()
                    + " could not be streamed from its store: " + e.getMessage());
        } catch (HostAccessException e) {
            removeStaging(host, staging);
            // The upload broke off because the store's side did (a corrupt object, the store gone), not the machine.
            if (in != null && in.failure().isPresent()) {
                throw new ProvisionException(Reason.CommandFailed, in.failure().get().getMessage());
            }
            throw e;
        } finally {
            WatchedSource.closeQuietly(in);
        }
    }

    private void installRelease(RemoteHost host, MemberPlan plan, String arch)
            throws HostAccessException, ProvisionException {
        ReleaseSource release = plan.release();
        String asset = release.asset(arch);
        if (release.delivery() == BinaryDelivery.HostDownload) {
            runInstall(host, plan.clusterUid(), List.of(release.url(arch), release.sumsUrl(),
                    release.sha256().orElse(""), asset, plan.layout().installDir()));
            return;
        }
        ReleaseCache.CachedRelease cached = releases.fetch(release, arch);
        String staging;
        try {
            staging = stage(host, "/tmp", Files.size(cached.file()));
        } catch (IOException e) {
            throw new ProvisionException(Reason.CommandFailed, "cannot read cached release: " + e.getMessage());
        }
        try {
            try (InputStream in = Files.newInputStream(cached.file())) {
                host.upload(staging + "/" + asset, in, installTimeout);
            } catch (IOException e) {
                throw new ProvisionException(Reason.CommandFailed, "cannot read cached release: " + e.getMessage());
            }
            // The machine checks the pushed copy against the digest verified here.
            runInstall(host, plan.clusterUid(), List.of(staging + "/" + asset, "", cached.sha256(), asset,
                    plan.layout().installDir()));
        } finally {
            removeStaging(host, staging);
        }
    }

    private void runInstall(RemoteHost host, String clusterUid, List<String> args)
            throws HostAccessException, ProvisionException {
        ExecResult result = host.exec(RemoteScript.INSTALL_RELEASE.changing(MachineActor.now(clusterUid), installTimeout,
                args), installTimeout);
        String detail = HostProbe.firstLine(result.stderr());
        refuseBusyOrLate(result, "installing the release");
        switch (result.exitCode()) {
            case 0 -> { }
            case RemoteScript.EXIT_CHECKSUM_MISMATCH, RemoteScript.EXIT_NO_CHECKSUM ->
                    throw new ProvisionException(Reason.ChecksumMismatch, detail);
            case RemoteScript.EXIT_DOWNLOAD_FAILED ->
                    throw new ProvisionException(Reason.DownloadFailed, "download failed: " + detail);
            case RemoteScript.EXIT_NOT_OWNED -> throw new ProvisionException(Reason.NotOwned,
                    "installing the release refused, nothing was changed: " + detail);
            default -> throw new ProvisionException(Reason.CommandFailed,
                    "installing the release exited " + result.exitCode() + ": " + detail);
        }
    }

    /**
     * A fresh private directory of the login user under {@code parent} (staged keys are never readable by others),
     * after sweeping the ones earlier passes left there: older than any script that could still be using one.
     */
    private String stage(RemoteHost host, String parent, long needBytes) throws HostAccessException, ProvisionException {
        long sweepAfterMinutes = installTimeout.multipliedBy(2).toMinutes() + 1;
        long needKiB = (needBytes + HEADROOM_BYTES + 1023) / 1024;
        ExecResult result = host.exec(RemoteScript.STAGE.staging(commandTimeout, List.of(parent,
                Long.toString(sweepAfterMinutes), Long.toString(needKiB))), commandTimeout);
        if (result.exitCode() == RemoteScript.EXIT_NO_ROOM) {
            throw new ProvisionException(Reason.PreflightFailed, HostProbe.firstLine(result.stderr()));
        }
        return run(result, "staging").stdout().trim();
    }

    private void removeStaging(RemoteHost host, String staging) {
        try {
            host.exec(RemoteCommand.unprivileged("rm", "-rf", "--", staging), commandTimeout);
        } catch (HostAccessException e) {
            LOG.warn("could not remove {} on {}: {}", staging, host.endpoint().host(), e.getMessage());
        }
    }

    /** Runs a script that changes the machine, holding the machine's lock for this cluster. */
    private static ExecResult change(RemoteHost host, String clusterUid, RemoteScript script, List<String> args,
            Duration timeout, String what) throws HostAccessException, ProvisionException {
        return run(host, script.changing(MachineActor.now(clusterUid), timeout, args), timeout, what);
    }

    private static ExecResult run(RemoteHost host, RemoteCommand command, Duration timeout, String what)
            throws HostAccessException, ProvisionException {
        return run(host.exec(command, timeout), what);
    }

    private static ExecResult run(ExecResult result, String what) throws ProvisionException {
        refuseBusyOrLate(result, what);
        if (result.exitCode() == RemoteScript.EXIT_NOT_OWNED) {
            throw new ProvisionException(Reason.NotOwned, what + " refused, nothing was changed: "
                    + HostProbe.firstLine(result.stderr()));
        }
        if (!result.succeeded()) {
            throw new ProvisionException(Reason.CommandFailed,
                    what + " exited " + result.exitCode() + ": " + HostProbe.firstLine(result.stderr()));
        }
        return result;
    }

    /** Another actor held the machine (nothing was done), or the script ran past its deadline and was stopped. */
    private static void refuseBusyOrLate(ExecResult result, String what) throws ProvisionException {
        if (result.exitCode() == RemoteScript.EXIT_BUSY) {
            throw new ProvisionException(Reason.MachineBusy, what + " waited in vain, nothing was changed: "
                    + HostProbe.firstLine(result.stderr()));
        }
        if (RemoteScript.EXIT_DEADLINE.contains(result.exitCode())) {
            throw new ProvisionException(Reason.CommandFailed, what + " ran past its deadline and was stopped on the"
                    + " machine (exit " + result.exitCode() + ")");
        }
    }
}
