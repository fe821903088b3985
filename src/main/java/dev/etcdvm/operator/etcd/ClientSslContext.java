package dev.etcdvm.operator.etcd;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Builds the gRPC client TLS context from PEM strings in memory: nothing touches disk. Parsing is done
 * with the JDK (this package may not use Bouncy Castle) so that every error message is our own and
 * can never echo the key.
 */
final class ClientSslContext {
    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519");

    private ClientSslContext() {
    }

    static SslContext build(EtcdTls tls) {
        X509Certificate[] trusted = certificates(tls.caPem(), "CA certificate");
        X509Certificate[] chain = certificates(tls.certPem(), "client certificate");
        PrivateKey key = privateKey(tls.keyPem());
        if (!belongsTo(key, chain[0].getPublicKey())) {
            // The JDK would only notice during the handshake, as a vague TLS error from the server.
            throw invalid("client key does not belong to the client certificate");
        }
        try {
            // GrpcSslContexts adds the HTTP/2 ALPN and cipher settings gRPC needs on top of Netty's defaults.
            return GrpcSslContexts.forClient().trustManager(trusted).keyManager(key, chain).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw invalid("client key does not fit the client certificate or cannot be used for TLS ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The same material for the JDK's own TLS, for etcd's plain HTTPS endpoints such as /version. */
    static SSLContext jdk(EtcdTls tls) {
        X509Certificate[] trusted = certificates(tls.caPem(), "CA certificate");
        X509Certificate[] chain = certificates(tls.certPem(), "client certificate");
        PrivateKey key = privateKey(tls.keyPem());
        try {
            char[] password = new char[0]; // an in-memory store only: never written anywhere
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, password, chain);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                trust.setCertificateEntry("ca-" + i, trusted[i]);
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw invalid("client TLS material cannot be used (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static X509Certificate[] certificates(String pem, String what) {
        try {
            var parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (parsed.isEmpty()) {
                throw invalid("no PEM " + what + " found");
            }
            return parsed.stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        } catch (CertificateException e) {
            throw invalid("unreadable PEM " + what);
        }
    }

    /** Only unencrypted PKCS#8 is accepted: that is what the operator's own PKI writes. */
    private static PrivateKey privateKey(String pem) {
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw invalid("client key is not a PEM PKCS#8 private key (BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw invalid("client key is not valid base64");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next one
            }
        }
        throw invalid("client key is not an EC, RSA or Ed25519 PKCS#8 key");
    }

    /** Signs a random challenge with the key and checks it with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm(); // Ed25519 signs without a separate digest
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static EtcdException invalid(String reason) {
        return new EtcdException("etcd.tls", "(client TLS material)", reason, null);
    }
}
