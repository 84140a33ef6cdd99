package io.costguard.webhook;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** A serving certificate chain and its private key, read from or written as PEM (PKCS#1, PKCS#8 or SEC1 keys). */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {
    public KeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** Reads tls.crt and tls.key contents; the message of a failure says which of the two is wrong. */
    public static KeyMaterial fromPem(String certificates, String privateKey) {
        List<X509Certificate> chain = certificates(certificates, "tls.crt");
        PrivateKey key;
        try (PEMParser parser = new PEMParser(new StringReader(privateKey))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                key = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (o instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                throw new IllegalArgumentException("tls.key holds no unencrypted private key in PEM");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("tls.key cannot be read as PEM: " + e.getMessage());
        }
        if (!key.getAlgorithm().equals(chain.get(0).getPublicKey().getAlgorithm())) {
            throw new IllegalArgumentException(
                    "tls.key (" + key.getAlgorithm() + ") does not belong to the certificate in tls.crt ("
                            + chain.get(0).getPublicKey().getAlgorithm() + ")");
        }
        return new KeyMaterial(key, chain);
    }

    public static List<X509Certificate> certificates(String pem, String what) {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException(what + " cannot be read as PEM certificates: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(what + " holds no PEM certificate");
        }
        return out;
    }

    /** PEM of certificates, and of private keys as PKCS#8 ("PRIVATE KEY", which every TLS stack reads). */
    public static String pem(Object... objects) {
        java.io.StringWriter w = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey k) {
                    writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", k.getEncoded()));
                } else {
                    writer.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }
}
