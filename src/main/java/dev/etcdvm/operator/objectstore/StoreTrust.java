package dev.etcdvm.operator.objectstore;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Trust in exactly the CAs of a PEM bundle, for a store whose certificate no public CA signed. */
final class StoreTrust {
    private StoreTrust() {
    }

    static TrustManager[] of(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            if (i == 0) {
                throw new ObjectStoreException(ObjectStoreException.Kind.REFUSED, "the store's CA bundle holds no certificate",
                        null);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ObjectStoreException(ObjectStoreException.Kind.REFUSED, "the store's CA bundle is unreadable: "
                    + e.getMessage(), e);
        }
    }
}
