package dev.etcdvm.operator.reconciler.failure;

/** What the operator was doing when something failed, named as in logs: {@code ssh.exec}, {@code etcd.memberAdd}. */
public enum Operation {
    SSH_CONNECT("ssh.connect"), HOST_PROBE("host.probe"), HOST_PROVISION("host.provision"),
    HOST_RESTART("host.restart"), HOST_RETIRE("host.retire"),
    HOST_DRILL("host.drill"), HOST_RECOVER("host.recover"), HOST_MARK_DATA("host.markData"), BACKUP_SNAPSHOT("backup.snapshot"),
    ETCD_MEMBER_ADD("etcd.memberAdd"), ETCD_MEMBER_PROMOTE("etcd.memberPromote"), ETCD_MOVE_LEADER("etcd.moveLeader"),
    ETCD_MEMBER_REMOVE("etcd.memberRemove"), ETCD_MAINTENANCE("etcd.maintenance"),
    KUBE_API("kube.api"), RECONCILE("reconcile");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
