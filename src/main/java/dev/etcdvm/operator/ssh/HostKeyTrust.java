package dev.etcdvm.operator.ssh;

import java.security.PublicKey;

/** Decides whether a machine's host key is the one we expect. There is deliberately no accept-all. */
public interface HostKeyTrust {
    HostKeyVerdict verify(String host, int port, PublicKey presented);

    /** Identifies the trust material, so a session verified under older material is not reused. */
    String version();
}
