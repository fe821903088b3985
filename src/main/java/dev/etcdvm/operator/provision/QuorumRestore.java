package dev.etcdvm.operator.provision;

import java.util.Optional;

/**
 * How a lost quorum is recovered on its seed machine: alone, into a new one-member cluster.
 *
 * @param memberId the member id the machine must record for its data to be taken (empty: none required, the data is
 *     only set aside)
 * @param archiveStamp the time (yyyyMMddTHHmmssZ) naming where the machine's data dir is moved, never deleted:
 *     {@code <dataDir>.recovery-<stamp>}, made on the machine from the data dir it is given, so status cannot point the
 *     move anywhere else
 * @param token the new cluster's token
 * @param snapshot the snapshot restored; empty to restore the machine's own member database
 * @param bumpRevisionBy how far the revision is moved forward where the tool can (3.5 on), so watchers never see it
 *     go back
 */
public record QuorumRestore(Optional<String> memberId, String archiveStamp, String token, Optional<SnapshotRestore> snapshot,
        long bumpRevisionBy) {
}
