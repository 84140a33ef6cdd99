package io.costguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.admission.AdmissionRules;
import io.costguard.admission.WorkloadAudit;
import io.costguard.admission.WorkloadLister;
import io.costguard.api.BudgetScope;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.app.OperatorApp;
import io.costguard.kube.Conflicts;
import io.costguard.testing.MockApi;
import io.costguard.testing.MutableClock;
import io.costguard.testing.StubPrometheus;
import io.costguard.testing.TestConfigs;
import io.costguard.testing.TestTls;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhook wired into the operator against the mock API: a generated CA in a Secret and injected as caBundle,
 * a budget's freeze read from its status and enforced over HTTPS, renewal, and the audit of running workloads.
 */
@EnableKubernetesMockClient(crud = true)
class WebhookInClusterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-15T10:30:00Z");
    KubernetesClient client;

    void cluster() throws Exception {
        MockApi.crds(client, "costbudgets");
        MockApi.namespaces(client, "team-a", "costguard-system");
        client.admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .resource(webhookConfiguration())
                .create();
    }

    static ValidatingWebhookConfiguration webhookConfiguration() {
        return new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName("costguard")
                .endMetadata()
                .addNewWebhook()
                .withName("workloads.costguard.io")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withNewClientConfig()
                .withNewService()
                .withName("costguard-webhook")
                .withNamespace("costguard-system")
                .withPath("/validate")
                .endService()
                .endClientConfig()
                .endWebhook()
                .addNewWebhook()
                .withName("resources.costguard.io")
                .withAdmissionReviewVersions("v1")
                .withSideEffects("None")
                .withNewClientConfig()
                .withNewService()
                .withName("costguard-webhook")
                .withNamespace("costguard-system")
                .withPath("/validate")
                .endService()
                .endClientConfig()
                .endWebhook()
                .build();
    }

    List<java.security.cert.X509Certificate> bundle() {
        var config = client.admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName("costguard")
                .get();
        String b = config.getWebhooks().get(0).getClientConfig().getCaBundle();
        assertThat(config.getWebhooks().get(1).getClientConfig().getCaBundle()).isEqualTo(b);
        return KeyMaterial.certificates(new String(Base64.getDecoder().decode(b), StandardCharsets.UTF_8), "caBundle");
    }

    @Test
    void aBudgetsFreezeIsEnforcedOverHttpsWithAGeneratedCertificate() throws Exception {
        cluster();
        StubPrometheus prometheus = new StubPrometheus().costSeries(1.0, "team-a", "alpha", "search", "a", "prod");
        OperatorApp app = new OperatorApp(
                TestConfigs.operator(
                        prometheus.url(),
                        "1s",
                        Map.of(
                                "COSTGUARD_WEBHOOK_ENABLED",
                                "true",
                                "COSTGUARD_WEBHOOK_PORT",
                                "0",
                                "COSTGUARD_WEBHOOK_CERT_MODE",
                                "generate")),
                client,
                new MutableClock(NOW));
        try {
            app.start();
            Secret secret = client.secrets()
                    .inNamespace("costguard-system")
                    .withName("costguard-webhook-tls")
                    .get();
            assertThat(secret.getData()).containsKeys("tls.crt", "tls.key", "ca.crt");
            assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
            javax.net.ssl.SSLContext https = TestTls.trusting(bundle());

            CostBudget b = new CostBudget();
            b.setMetadata(new ObjectMetaBuilder()
                    .withName("alpha")
                    .withNamespace("team-a")
                    .build());
            b.setSpec(new CostBudgetSpec());
            b.getSpec().amount = "300.00"; // 346 spent: past 100 %, the default Freeze threshold
            b.getSpec().scope = new BudgetScope();
            b.getSpec().scope.selector = Map.of("tenant", "alpha");
            client.resource(b).create();

            String review = review("CREATE", "alpha");
            await().atMost(Waits.RECONCILED).untilAsserted(() -> {
                JsonNode r = post(https, app.webhookPort(), review);
                assertThat(r.path("allowed").asBoolean()).isFalse();
                assertThat(r.path("status").path("message").asText())
                        .contains("rollouts are frozen by CostBudget team-a/alpha");
            });
            JsonNode other = post(https, app.webhookPort(), review("CREATE", "beta"));
            assertThat(other.path("allowed").asBoolean()).as(other.toString()).isTrue();

            // raising the amount lifts the freeze on every replica through status; the preview still speaks
            Conflicts.retry(() -> client.resources(CostBudget.class)
                    .inNamespace("team-a")
                    .withName("alpha")
                    .edit(x -> {
                        x.getSpec().amount = "100000.00";
                        return x;
                    }));
            await().atMost(Waits.RECONCILED).untilAsserted(() -> {
                JsonNode r = post(https, app.webhookPort(), review);
                assertThat(r.path("allowed").asBoolean()).isTrue();
                assertThat(r.path("warnings").toString())
                        .contains("predicted")
                        .contains("budget team-a/alpha at 0% of 100000.00 USD");
            });

            // a second replica adopts the Secret instead of issuing its own
            GeneratedCertificates replica = new GeneratedCertificates(
                    client,
                    "costguard-system",
                    "costguard-webhook-tls",
                    "costguard-webhook",
                    "costguard",
                    Duration.ofDays(365),
                    new MutableClock(NOW));
            assertThat(replica.initial().leaf())
                    .isEqualTo(app.webhookCertificate().leaf());
        } finally {
            app.close();
            prometheus.close();
        }
    }

    @Test
    void renewalAddsTheNewCaBesideTheOldAndEveryReplicaReloads() throws Exception {
        cluster();
        MutableClock clock = new MutableClock(Instant.now());
        GeneratedCertificates a = new GeneratedCertificates(
                client, "costguard-system", "tls", "costguard-webhook", "costguard", Duration.ofDays(30), clock);
        GeneratedCertificates b = new GeneratedCertificates(
                client, "costguard-system", "tls", "costguard-webhook", "costguard", Duration.ofDays(30), clock);
        KeyMaterial first = a.initial();
        assertThat(b.initial().leaf()).isEqualTo(first.leaf());
        assertThat(first.leaf().getSubjectAlternativeNames().toString())
                .contains("costguard-webhook.costguard-system.svc");
        assertThat(a.refresh()).isNull();
        assertThat(bundle()).hasSize(1);

        clock.advance(Duration.ofDays(21)); // less than a third of 30 days left
        KeyMaterial renewed = a.refresh();
        assertThat(renewed).isNotNull();
        assertThat(renewed.leaf()).isNotEqualTo(first.leaf());
        assertThat(bundle()).hasSize(2);
        assertThat(bundle().stream().map(c -> c.getSubjectX500Principal()).toList())
                .contains(first.leaf().getIssuerX500Principal());
        assertThat(b.refresh().leaf()).isEqualTo(renewed.leaf());
        assertThat(b.refresh()).isNull();

        // someone resets the caBundle (helm upgrade): it is injected again on the next refresh
        client.admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName("costguard")
                .edit(c -> {
                    c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
                    return c;
                });
        a.refresh();
        assertThat(bundle()).hasSize(2);
    }

    @Test
    void theAuditCountsRunningWorkloadsThatBreakTheLabelRules() throws Exception {
        MockApi.namespaces(client, "team-a");
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("legacy")
                        .addToLabels("costguard.io/exempt", "true")
                        .endMetadata()
                        .build())
                .create();
        Map<String, String> good =
                Map.of("tenant", "alpha", "feature", "search", "team", "alpha", "environment", "prod");
        deployment("team-a", "good", good);
        deployment("team-a", "bad", Map.of("tenant", "alpha"));
        deployment("team-a", "worse", Map.of());
        deployment("legacy", "old", Map.of());
        deployment("default", "stray", Map.of("tenant", "Alpha"));
        var config = TestConfigs.operator(URI.create("http://127.0.0.1:9"), "60s", Map.of());
        AdmissionRules rules = AdmissionRules.from(config);
        WorkloadAudit audit = new WorkloadAudit(rules.labels());
        List<WorkloadAudit.Finding> findings = new ArrayList<>();
        Map<String, Map<String, String>> labels = new HashMap<>();
        client.namespaces()
                .list()
                .getItems()
                .forEach(n -> labels.put(
                        n.getMetadata().getName(),
                        n.getMetadata().getLabels() == null
                                ? Map.of()
                                : n.getMetadata().getLabels()));
        new WorkloadLister(client, JSON)
                .list(
                        rules.workloads().kinds(),
                        java.util.Set.of(),
                        page -> findings.addAll(audit.audit(page, ns -> labels.getOrDefault(ns, Map.of()))));
        assertThat(findings).extracting(WorkloadAudit.Finding::name).containsExactlyInAnyOrder("bad", "worse", "stray");
        assertThat(WorkloadAudit.countByNamespace(findings)).isEqualTo(Map.of("team-a", 2, "default", 1));
        assertThat(findings.stream()
                        .filter(f -> f.name().equals("stray"))
                        .findFirst()
                        .orElseThrow()
                        .problems()
                        .toString())
                .contains("metadata.labels.tenant 'Alpha' is not a valid value");
    }

    private void deployment(String ns, String name, Map<String, String> labels) {
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("app:1")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    static String review(String operation, String tenant) {
        return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u-" + tenant
                + "\",\"operation\":\""
                + operation
                + "\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"namespace\":\"team-a\",\"userInfo\":{\"username\":\"alice\"},"
                + "\"object\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"api\",\"namespace\":\"team-a\",\"labels\":"
                + "{\"tenant\":\"" + tenant
                + "\",\"feature\":\"search\",\"team\":\"a\",\"environment\":\"prod\"}},\"spec\":{\"replicas\":2,\"template\":"
                + "{\"metadata\":{\"labels\":{\"tenant\":\"" + tenant
                + "\",\"feature\":\"search\",\"team\":\"a\",\"environment\":\"prod\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"api:1\",\"resources\":{\"requests\":{\"cpu\":\"1\",\"memory\":\"2Gi\"}}}]}}}}}}";
    }

    static JsonNode post(javax.net.ssl.SSLContext https, int port, String body) throws Exception {
        var r = TestTls.post(https, "costguard-webhook.costguard-system.svc", port, body);
        assertThat(r.getKey()).isEqualTo(200);
        return JSON.readTree(r.getValue()).path("response");
    }
}
