package dev.etcdvm.operator.ssh;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.common.NamedResource;

/**
 * A private key loaded from a Secret (OpenSSH or PEM; ed25519, ecdsa or rsa). Its toString shows
 * only the public fingerprint, so it can never leak into a log line.
 */
public final class SshIdentity {
    private final KeyPair keyPair;
    private final String fingerprint;

    private SshIdentity(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.fingerprint = KeyUtils.getFingerPrint(keyPair.getPublic());
    }

    /** @param source names the Secret in error messages */
    public static SshIdentity parse(String keyText, String source) throws HostAccessException {
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(source),
                    new ByteArrayInputStream(keyText.getBytes(StandardCharsets.UTF_8)), null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new HostAccessException(HostAccessException.Kind.InvalidCredentials, source + " holds no private key");
            }
            return new SshIdentity(it.next());
        } catch (HostAccessException e) {
            throw e;
        } catch (Exception e) {
            // The parser's message may quote key material: report only its type.
            throw new HostAccessException(HostAccessException.Kind.InvalidCredentials,
                    source + " is not a usable private key (" + e.getClass().getSimpleName()
                            + "); encrypted keys are not supported");
        }
    }

    KeyPair keyPair() {
        return keyPair;
    }

    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "SshIdentity[" + fingerprint + "]";
    }
}
