package io.costguard.webhook;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A self-signed CA and a serving certificate it signs (ECDSA P-256), for the webhook when no cert-manager is there. */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The CA's certificate and key, and the serving certificate and key. */
    public record Issued(KeyMaterial ca, KeyMaterial serving) {}

    private CertificateAuthority() {}

    /** A new CA and a serving certificate for {@code dnsNames}, both valid from a minute ago for {@code validity}. */
    public static Issued issue(String commonName, List<String> dnsNames, Instant now, Duration validity) {
        try {
            KeyPair caKeys = keyPair();
            Instant from = now.minusSeconds(60);
            Instant to = now.plus(validity);
            X500Name caName = new X500Name("CN=" + commonName + " CA " + now.getEpochSecond());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(
                    caName, serial(), Date.from(from), Date.from(to), caName, caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys);

            KeyPair servingKeys = keyPair();
            JcaX509v3CertificateBuilder serving = new JcaX509v3CertificateBuilder(
                    caCert,
                    serial(),
                    Date.from(from),
                    Date.from(to),
                    new X500Name("CN=" + dnsNames.get(0)),
                    servingKeys.getPublic());
            serving.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            serving.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            serving.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            serving.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(dnsNames.stream()
                            .map(n -> new GeneralName(GeneralName.dNSName, n))
                            .toArray(GeneralName[]::new)));
            serving.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate servingCert = sign(serving, caKeys);
            return new Issued(
                    new KeyMaterial(caKeys.getPrivate(), List.of(caCert)),
                    new KeyMaterial(servingKeys.getPrivate(), List.of(servingCert)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue the webhook certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(s));
    }
}
