package io.costguard.webhook;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as its own certificate authority: a CA and a serving certificate in a Secret that all replicas
 * share, and the CA injected as {@code caBundle} into the ValidatingWebhookConfiguration. A certificate with less
 * than a third of its validity left is renewed by whichever replica notices first: the bundle first gets the new
 * CA beside the old one, then the Secret is replaced (optimistic locking: a replica that loses the race adopts the
 * winner's), so replicas still serving the old certificate stay trusted until they reload.
 */
public final class GeneratedCertificates implements CertificateSource {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratedCertificates.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String secretName;
    private final String serviceName;
    private final String webhookConfigurationName;
    private final Duration validity;
    private final Clock clock;
    private String servedVersion;
    private boolean bundleMissingReported;

    public GeneratedCertificates(
            KubernetesClient client,
            String namespace,
            String secretName,
            String serviceName,
            String webhookConfigurationName,
            Duration validity,
            Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.secretName = secretName;
        this.serviceName = serviceName;
        this.webhookConfigurationName = webhookConfigurationName;
        this.validity = validity;
        this.clock = clock;
    }

    public List<String> dnsNames() {
        return List.of(
                serviceName + "." + namespace + ".svc",
                serviceName + "." + namespace + ".svc.cluster.local",
                serviceName + "." + namespace,
                serviceName);
    }

    @Override
    public KeyMaterial initial() {
        for (int attempt = 0; attempt < 5; attempt++) {
            Stored s = ensure();
            if (s != null) {
                servedVersion = s.version();
                injectBundle(s.caBundle());
                return s.material();
            }
        }
        throw new IllegalStateException(
                "cannot create or read Secret " + namespace + "/" + secretName + " for the webhook certificate");
    }

    @Override
    public KeyMaterial refresh() {
        Stored s = ensure();
        if (s == null) {
            return null;
        }
        injectBundle(s.caBundle());
        if (Objects.equals(s.version(), servedVersion)) {
            return null;
        }
        servedVersion = s.version();
        return s.material();
    }

    private record Stored(KeyMaterial material, String caBundle, String version) {}

    /** The usable certificate in the Secret, renewing or creating it when needed; null after a lost race (retry). */
    private Stored ensure() {
        Secret secret =
                client.secrets().inNamespace(namespace).withName(secretName).get();
        Instant now = clock.instant();
        List<X509Certificate> previousCas = new ArrayList<>();
        if (secret != null) {
            try {
                String cert = decode(secret, "tls.crt");
                String key = decode(secret, "tls.key");
                String ca = decode(secret, "ca.crt");
                KeyMaterial m = KeyMaterial.fromPem(cert, key);
                List<X509Certificate> cas = KeyMaterial.certificates(ca, "ca.crt");
                Duration left = Duration.between(now, m.notAfter());
                Duration total = Duration.between(m.leaf().getNotBefore().toInstant(), m.notAfter());
                if (left.compareTo(total.dividedBy(3)) > 0 && covers(m.leaf())) {
                    return new Stored(m, ca, secret.getMetadata().getResourceVersion());
                }
                LOG.info(
                        "webhook certificate in Secret {}/{} expires {} (or does not name {}); renewing it",
                        namespace,
                        secretName,
                        m.notAfter(),
                        dnsNames().get(0));
                cas.stream()
                        .filter(c -> c.getNotAfter().toInstant().isAfter(now))
                        .limit(1)
                        .forEach(previousCas::add);
            } catch (IllegalArgumentException e) {
                LOG.warn(
                        "Secret {}/{} holds no usable certificate ({}); replacing it",
                        namespace,
                        secretName,
                        e.getMessage());
            }
        }
        CertificateAuthority.Issued issued = CertificateAuthority.issue("costguard-webhook", dnsNames(), now, validity);
        List<Object> bundle = new ArrayList<>(issued.ca().chain());
        bundle.addAll(previousCas);
        String caPem = KeyMaterial.pem(bundle.toArray());
        // the bundle first, so that the new certificate is trusted before any replica serves it
        injectBundle(caPem);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("tls.crt", encode(KeyMaterial.pem(issued.serving().chain().toArray())));
        data.put("tls.key", encode(KeyMaterial.pem(issued.serving().key())));
        data.put("ca.crt", encode(caPem));
        try {
            Secret written;
            if (secret == null) {
                written = client.secrets()
                        .inNamespace(namespace)
                        .resource(new SecretBuilder()
                                .withNewMetadata()
                                .withName(secretName)
                                .withNamespace(namespace)
                                .addToLabels("app.kubernetes.io/managed-by", "costguard")
                                .endMetadata()
                                .withType("kubernetes.io/tls")
                                .withData(data)
                                .build())
                        .create();
            } else {
                Secret next = new SecretBuilder(secret).withData(data).build();
                written = client.secrets().inNamespace(namespace).resource(next).update();
            }
            LOG.info(
                    "issued webhook certificate for {} valid until {} (Secret {}/{})",
                    dnsNames().get(0),
                    issued.serving().notAfter(),
                    namespace,
                    secretName);
            return new Stored(issued.serving(), caPem, written.getMetadata().getResourceVersion());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.debug("another replica wrote Secret {}/{} first; adopting its certificate", namespace, secretName);
                return null;
            }
            throw e;
        }
    }

    private boolean covers(X509Certificate leaf) {
        try {
            return leaf.getSubjectAlternativeNames() != null
                    && leaf.getSubjectAlternativeNames().stream()
                            .anyMatch(n -> dnsNames().get(0).equals(n.get(1)));
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    /** Sets {@code caBundle} on every webhook of the configuration that does not carry it yet. */
    private void injectBundle(String caPem) {
        String bundle = encode(caPem);
        ValidatingWebhookConfiguration config;
        try {
            config = client.admissionRegistration()
                    .v1()
                    .validatingWebhookConfigurations()
                    .withName(webhookConfigurationName)
                    .get();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "cannot read ValidatingWebhookConfiguration {} to inject the CA: {}",
                    webhookConfigurationName,
                    e.getMessage());
            return;
        }
        if (config == null) {
            if (!bundleMissingReported) {
                LOG.warn(
                        "ValidatingWebhookConfiguration {} does not exist; the CA is injected once it does",
                        webhookConfigurationName);
                bundleMissingReported = true;
            }
            return;
        }
        bundleMissingReported = false;
        boolean changed = false;
        for (ValidatingWebhook w : config.getWebhooks()) {
            if (w.getClientConfig() != null
                    && !bundle.equals(w.getClientConfig().getCaBundle())) {
                w.getClientConfig().setCaBundle(bundle);
                changed = true;
            }
        }
        if (changed) {
            try {
                client.admissionRegistration()
                        .v1()
                        .validatingWebhookConfigurations()
                        .resource(config)
                        .update();
                LOG.info("injected the webhook CA into ValidatingWebhookConfiguration {}", webhookConfigurationName);
            } catch (KubernetesClientException e) {
                LOG.warn(
                        "cannot inject the CA into ValidatingWebhookConfiguration {} ({}); retried on the next refresh",
                        webhookConfigurationName,
                        e.getMessage());
            }
        }
    }

    private static String decode(Secret s, String key) {
        String v = s.getData() == null ? null : s.getData().get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
