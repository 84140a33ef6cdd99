package io.costguard.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tls.crt} and {@code tls.key} in a directory, typically a mounted Secret that cert-manager renews. Kubernetes
 * swaps the files of a mounted Secret atomically; a changed pair is read on the next refresh. A pair that does not
 * parse (caught mid-rotation, or wrong) keeps the previous certificate and is logged once.
 */
public final class CertificateFiles implements CertificateSource {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateFiles.class);

    private final Path dir;
    private String lastCert;
    private String lastKey;
    private String lastProblem;

    public CertificateFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public KeyMaterial initial() {
        try {
            String cert = Files.readString(dir.resolve("tls.crt"));
            String key = Files.readString(dir.resolve("tls.key"));
            KeyMaterial m = KeyMaterial.fromPem(cert, key);
            lastCert = cert;
            lastKey = key;
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "webhook.certificates.dir " + dir + ": cannot read tls.crt and tls.key (" + e.getMessage()
                            + "); mount the webhook's TLS Secret there, or set webhook.certificates.mode: generate");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook.certificates.dir " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public KeyMaterial refresh() {
        String cert;
        String key;
        try {
            cert = Files.readString(dir.resolve("tls.crt"));
            key = Files.readString(dir.resolve("tls.key"));
        } catch (IOException e) {
            report("cannot read " + dir + ": " + e.getMessage());
            return null;
        }
        if (cert.equals(lastCert) && key.equals(lastKey)) {
            return null;
        }
        try {
            KeyMaterial m = KeyMaterial.fromPem(cert, key);
            lastCert = cert;
            lastKey = key;
            lastProblem = null;
            return m;
        } catch (IllegalArgumentException e) {
            report(e.getMessage());
            return null;
        }
    }

    private void report(String problem) {
        if (!problem.equals(lastProblem)) {
            LOG.warn("webhook certificate in {} not reloaded, the previous one is still served: {}", dir, problem);
            lastProblem = problem;
        }
    }
}
