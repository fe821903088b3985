package dev.etcdvm.operator.provision;

import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterSpec;
import dev.etcdvm.operator.api.v1alpha1.MemberSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything one machine should hold for its member. {@code initialCluster} is written only while the
 * data dir holds no member: etcd reads it once, and leaving it alone afterwards means membership
 * changes elsewhere never rewrite a running member's files.
 */
public record MemberPlan(MemberSpec member, HostLayout layout, ReleaseSource release, int clientPort, int peerPort,
        String clusterUid, List<ManagedFile> files, ManagedFile initialCluster, MemberRole role,
        Optional<String> memberId, Optional<SnapshotRestore> restore) {

    public MemberPlan(MemberSpec member, HostLayout layout, ReleaseSource release, int clientPort, int peerPort,
            String clusterUid, List<ManagedFile> files, ManagedFile initialCluster, MemberRole role,
            Optional<String> memberId) {
        this(member, layout, release, clientPort, peerPort, clusterUid, files, initialCluster, role, memberId,
                Optional.empty());
    }

    /** This plan, its data restored from the snapshot when it founds the cluster on an empty machine. */
    public MemberPlan restoring(SnapshotRestore snapshot) {
        return new MemberPlan(member, layout, release, clientPort, peerPort, clusterUid, files, initialCluster, role,
                memberId, Optional.of(snapshot));
    }

    /**
     * @param clusterRef namespace/name, shown in the unit's description
     * @param initialState "new" while forming the cluster, "existing" for a member joining it
     */
    public static MemberPlan of(EtcdVmClusterSpec spec, MemberSpec member, List<MemberSpec> initialMembers,
            String initialState, String clusterUid, String clusterRef, MemberTls tls) {
        HostLayout layout = HostLayout.of(spec);
        String user = layout.runAsUser();
        List<ManagedFile> files = List.of(
                ManagedFile.text(HostLayout.CA_CERT, tls.caPem(), "0644", "root", "root"),
                ManagedFile.text(HostLayout.SERVER_CERT, tls.serverCertPem(), "0644", "root", "root"),
                ManagedFile.text(HostLayout.SERVER_KEY, tls.serverKeyPem(), "0600", user, user),
                ManagedFile.text(HostLayout.PEER_CERT, tls.peerCertPem(), "0644", "root", "root"),
                ManagedFile.text(HostLayout.PEER_KEY, tls.peerKeyPem(), "0600", user, user),
                ManagedFile.text(HostLayout.ENV_FILE, MemberConfig.environment(member, spec.getEtcd()), "0644", "root", "root"),
                ManagedFile.text(HostLayout.MARKER_FILE, clusterUid + "\n", "0644", "root", "root"),
                ManagedFile.text(HostLayout.INSTALL_RECORD_FILE, new InstallRecord(member.getName(), member.getAddress(),
                        layout.dataDir(), layout.installDir(), user, spec.getEtcd().getClientPort(),
                        spec.getEtcd().getPeerPort()).text(), "0644", "root", "root"),
                ManagedFile.text(HostLayout.UNIT_FILE, SystemdUnit.render(member.getName(), clusterRef, layout),
                        "0644", "root", "root"));
        ManagedFile initial = ManagedFile.text(HostLayout.INITIAL_ENV_FILE,
                MemberConfig.initialCluster(initialMembers, spec.getEtcd(), initialState, clusterUid), "0644", "root", "root");
        return new MemberPlan(member, layout, ReleaseSource.of(spec.getVersion(), spec.getBinary()),
                spec.getEtcd().getClientPort(), spec.getEtcd().getPeerPort(), clusterUid, files, initial,
                MemberRole.FOUNDER, Optional.empty());
    }

    /** The same machine in another role; a known etcd member id is recorded on the machine. */
    public MemberPlan as(MemberRole newRole, Optional<String> id) {
        return new MemberPlan(member, layout, release, clientPort, peerPort, clusterUid, files, initialCluster, newRole, id,
                restore);
    }

    /** A joiner's initial cluster lists the members etcd has now, the learner included. */
    public MemberPlan joining(String id, List<MemberConfig.Peer> currentMembers) {
        ManagedFile initial = ManagedFile.text(HostLayout.INITIAL_ENV_FILE,
                MemberConfig.initialCluster(currentMembers, "existing", clusterUid), "0644", "root", "root");
        return new MemberPlan(member, layout, release, clientPort, peerPort, clusterUid, files, initial,
                MemberRole.JOINER, Optional.of(id));
    }

    /**
     * The files this pass may write, given what the machine holds. Once a member has data its initial
     * settings say "existing" and nothing else: should its data vanish (a replaced disk), etcd refuses to
     * start instead of forming a new, empty cluster with the same ids, and the loss is seen.
     */
    public List<ManagedFile> wantedFiles(boolean hasMemberData) {
        List<ManagedFile> wanted = new ArrayList<>(files);
        if (hasMemberData) {
            wanted.add(ManagedFile.text(HostLayout.INITIAL_ENV_FILE, MemberConfig.sealedInitialCluster(), "0644", "root",
                    "root"));
        } else if (role.initialises()) {
            wanted.add(initialCluster);
        }
        memberId.ifPresent(id -> wanted.add(ManagedFile.text(HostLayout.MEMBER_ID_FILE, id + "\n", "0644", "root", "root")));
        return wanted;
    }

    public List<ManagedFile> allFiles() {
        List<ManagedFile> all = new ArrayList<>(files);
        all.add(initialCluster);
        return all;
    }
}
