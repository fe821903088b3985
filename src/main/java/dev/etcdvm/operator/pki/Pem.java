package dev.etcdvm.operator.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM reading and writing through Bouncy Castle's parsers. */
public final class Pem {
    private Pem() {
    }

    public static String certificate(X509Certificate certificate) {
        return write(certificate);
    }

    /** Private keys are written as PKCS#8 ("BEGIN PRIVATE KEY"), which etcd and Go read for every key type. */
    public static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new PkiException("cannot encode private key", e);
        }
    }

    public static X509Certificate parseCertificate(String pem) {
        Object parsed = read(pem, "certificate");
        if (!(parsed instanceof X509CertificateHolder holder)) {
            throw new PkiException("not a PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new PkiException("unreadable certificate", e);
        }
    }

    /** Accepts PKCS#8 and the traditional EC/RSA PEM forms (what openssl and cert-manager write). */
    public static PrivateKey parsePrivateKey(String pem) {
        Object parsed = read(pem, "private key");
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw new PkiException("unreadable private key", e);
        }
        throw new PkiException("not an unencrypted PEM private key");
    }

    private static Object read(String pem, String what) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            if (parsed == null) {
                throw new PkiException("no PEM " + what + " found");
            }
            return parsed;
        } catch (IOException e) {
            // Never include the input: it may be key material.
            throw new PkiException("malformed PEM " + what, e);
        }
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new PkiException("cannot write PEM", e);
        }
        return out.toString();
    }
}
