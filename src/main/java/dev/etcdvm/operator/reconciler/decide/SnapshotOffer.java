package dev.etcdvm.operator.reconciler.decide;

import dev.etcdvm.operator.provision.SnapshotRestore;
import java.util.Optional;

/**
 * The newest snapshot a quorum loss could be recovered from, looked up in the store only once the loss is
 * declared; or why there is none.
 */
public record SnapshotOffer(Optional<SnapshotRestore> newest, String problem) {
    public static final SnapshotOffer NOT_LOOKED_UP = new SnapshotOffer(Optional.empty(), "not looked up");

    public static SnapshotOffer of(SnapshotRestore newest) {
        return new SnapshotOffer(Optional.of(newest), "");
    }

    public static SnapshotOffer none(String why) {
        return new SnapshotOffer(Optional.empty(), why);
    }
}
