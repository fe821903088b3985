package dev.etcdvm.operator.provision;

/** What a machine is to its cluster this pass; decides which files it gets and whether etcd runs. */
public enum MemberRole {
    /** Forms a new cluster with the others: initial-cluster-state=new, started together. */
    FOUNDER,
    /** An existing member: files kept in shape, started when stopped, never re-initialised. */
    MEMBER,
    /**
     * Added to etcd as a learner and not yet started: gets initial-cluster-state=existing and starts.
     * Data left from an earlier life is archived first: etcd would keep its old identity.
     */
    JOINER,
    /**
     * Will join later: release and files are installed, but the unit is neither enabled nor started, so a
     * reboot cannot make it form a cluster of its own.
     */
    STANDBY;

    /** Whether this role writes the one-time initial-cluster settings (only ever onto an empty data dir). */
    public boolean initialises() {
        return this == FOUNDER || this == JOINER;
    }

    public boolean runs() {
        return this != STANDBY;
    }
}
