package dev.etcdvm.operator.provision;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Who acts on a machine, as its lock names the holder: the cluster, this operator process, and since when (a waiting
 * actor says who keeps it waiting; a person reading the lock file knows whom to look for).
 */
public record MachineActor(String clusterUid, String operator, Instant since) {
    /** This JVM: {@code pid@host}, as the management interface names it. */
    private static final String THIS_OPERATOR = ManagementFactory.getRuntimeMXBean().getName();

    /** This operator acting for the cluster now. */
    public static MachineActor now(String clusterUid) {
        return new MachineActor(clusterUid, THIS_OPERATOR, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    public String label() {
        return "cluster " + clusterUid + ", operator " + operator + ", since " + since;
    }
}
