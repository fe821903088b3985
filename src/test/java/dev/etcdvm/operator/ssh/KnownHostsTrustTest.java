package dev.etcdvm.operator.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** known_hosts text comes from a Secret: whatever it holds is never repeated in the operator's output. */
class KnownHostsTrustTest {
    /** What a knownHostsSecretRef.key naming the private key would hand over (body shortened, not a real key). */
    private static final String PRIVATE_KEY = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
            QyNTUxOQAAACDkSecretKeyMaterialThatMustNeverBeLoggedAnywhereAtAll0000
            -----END OPENSSH PRIVATE KEY-----
            """;

    @Test
    void aPrivateKeyGivenAsKnownHostsTrustsNothingAndIsNotLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Level before = root.getLevel();
        root.setLevel(Level.TRACE);
        root.addAppender(captured);
        try {
            KnownHostsTrust trust = KnownHostsTrust.parse(PRIVATE_KEY);
            KeyPair presented = ecKey();
            assertThat(trust.verify("10.250.0.11", 22, presented.getPublic()).trusted()).isFalse();
        } finally {
            root.detachAppender(captured);
            root.setLevel(before);
        }
        assertThat(captured.list).allSatisfy(e -> assertThat(e.getFormattedMessage())
                .doesNotContain("PRIVATE KEY").doesNotContain("SecretKeyMaterial"));
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    @Test
    void validEntriesAmongInvalidLinesStillCount() throws Exception {
        KeyPair host = ecKey();
        String line = "10.250.0.11 " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(host.getPublic());
        KnownHostsTrust trust = KnownHostsTrust.parse("# comment\nnot an entry at all\n" + line + "\n");
        assertThat(trust.verify("10.250.0.11", 22, host.getPublic()).trusted()).isTrue();
    }
}
