package io.costguard.testing;

import io.costguard.webhook.CertificateAuthority;
import io.costguard.webhook.KeyMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Certificates for tests: issue a CA and a serving certificate for localhost, write them as a mounted Secret would. */
public final class TestTls {
    private TestTls() {}

    public static CertificateAuthority.Issued issue() {
        return CertificateAuthority.issue(
                "test",
                List.of("localhost", "costguard-webhook.costguard-system.svc"),
                Instant.now(),
                Duration.ofDays(1));
    }

    /** Writes tls.crt and tls.key into {@code dir}, each replaced atomically. */
    public static void write(Path dir, KeyMaterial serving) throws IOException {
        Files.createDirectories(dir);
        Path crt = dir.resolve("tls.crt.tmp");
        Path key = dir.resolve("tls.key.tmp");
        Files.writeString(crt, KeyMaterial.pem(serving.chain().toArray()));
        Files.writeString(key, KeyMaterial.pem(serving.key()));
        Files.move(key, dir.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(crt, dir.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * POSTs to https://127.0.0.1:port/validate checking the certificate against {@code serverName}, as the API server
     * does when it calls the webhook's Service: the status and the body.
     */
    public static java.util.Map.Entry<Integer, String> post(SSLContext tls, String serverName, int port, String body)
            throws IOException {
        var c = (javax.net.ssl.HttpsURLConnection) java.net
                .URI
                .create("https://127.0.0.1:" + port + "/validate")
                .toURL()
                .openConnection();
        c.setSSLSocketFactory(tls.getSocketFactory());
        c.setHostnameVerifier((host, session) -> {
            try {
                var names = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectAlternativeNames();
                return names != null && names.stream().anyMatch(n -> serverName.equals(n.get(1)));
            } catch (Exception e) {
                return false;
            }
        });
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (var out = c.getOutputStream()) {
            out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        int code = c.getResponseCode();
        try (var in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
            return java.util.Map.entry(code, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** A TLS context that trusts exactly these CAs. */
    public static SSLContext trusting(List<X509Certificate> cas) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
