package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.demo.OperatorProcess;
import io.costguard.testing.OpaStandIn;
import io.costguard.testing.TestTls;
import io.costguard.webhook.CertificateAuthority;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar serving the webhook over real HTTPS, a real Prometheus behind the budget that freezes the scope:
 * denial and warning texts, the freeze, break-glass valid and expired, OPA answering, slow and gone, and a rotated
 * certificate served without a restart.
 */
class AdmissionIT extends AlphaOverBudget {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVICE = "costguard-webhook.costguard-system.svc";
    static final Map<String, String> ALPHA =
            Map.of("tenant", "alpha", "feature", "search", "team", "alpha", "environment", "prod");
    static final Map<String, String> BETA =
            Map.of("tenant", "beta", "feature", "search", "team", "beta", "environment", "prod");

    @Test
    void theWebhookOverHttpsFromTheJar() throws Exception {
        Instant now = Instant.now();
        Path kubeconfig = setUp(now);
        CertificateAuthority.Issued first = TestTls.issue();
        Path tls = work.resolve("tls");
        TestTls.write(tls, first.serving());
        opa = new OpaStandIn("costguard/admission/deny", input -> {
            String image = input.at("/request/object/spec/template/spec/containers/0/image")
                    .asText("");
            return image.startsWith("evil/")
                    ? JSON.createArrayNode().add("image " + image + " is not from an approved registry")
                    : null;
        });
        int port = freePort();
        int http = freePort();
        Map<String, String> env = webhookEnv(kubeconfig, port, http, tls);
        env.put("COSTGUARD_WEBHOOK_CERT_RELOAD", "1s");
        env.put("COSTGUARD_OPA_URL", opa.url().toString());
        env.put("COSTGUARD_OPA_TIMEOUT", "300ms");
        operator = OperatorProcess.start(jar(), env, work.resolve("operator.log"));
        SSLContext trustFirst = TestTls.trusting(first.ca().chain());

        // the budget passes 100 %: its Freeze reaches the webhook through status
        await().atMost(Waits.STARTED).ignoreExceptions().untilAsserted(() -> {
            JsonNode r = review(trustFirst, port, "CREATE", deployment("api", ALPHA, "api:2", null), null);
            assertThat(r.path("allowed").asBoolean()).as(r.toString()).isFalse();
            assertThat(r.at("/status/message").asText())
                    .contains("Deployment team-alpha/api: rollouts are frozen by CostBudget team-alpha/alpha at")
                    .contains("creating Deployment is denied")
                    .contains("costguard.io/break-glass");
        });

        // the label rule: every missing key and the fix
        JsonNode unlabelled =
                review(trustFirst, port, "CREATE", deployment("stray", Map.of("tenant", "beta"), "api:1", null), null);
        assertThat(unlabelled.path("allowed").asBoolean()).isFalse();
        assertThat(unlabelled.at("/status/message").asText())
                .contains(
                        "Deployment stray lacks cost-allocation labels: metadata.labels.feature is missing; metadata.labels.team is missing")
                .contains("spec.template.metadata.labels.environment is missing")
                .contains("Fix: set tenant: <value>, feature: <value>, team: <value>, environment: <value>");

        // another tenant is not frozen; OPA is asked and has no objection
        JsonNode beta = review(trustFirst, port, "CREATE", deployment("web", BETA, "web:1", null), null);
        assertThat(beta.path("allowed").asBoolean()).as(beta.toString()).isTrue();
        assertThat(opa.inputs()).isNotEmpty();
        assertThat(opa.inputs().get(0).path("kind").asText()).isEqualTo("AdmissionReview");

        // break-glass: valid lets the rollout through with a warning and an Event; expired is refused
        JsonNode glass = review(
                trustFirst,
                port,
                "UPDATE",
                deployment(
                        "api",
                        ALPHA,
                        "api:3",
                        Map.of(
                                "costguard.io/break-glass",
                                "INC-4711 payment outage",
                                "costguard.io/break-glass-until",
                                operatorNow().plusSeconds(1800).toString())),
                deployment("api", ALPHA, "api:2", null));
        assertThat(glass.path("allowed").asBoolean()).as(glass.toString()).isTrue();
        assertThat(glass.path("warnings").toString())
                .contains("break-glass 'INC-4711 payment outage' let this through");
        await().atMost(Waits.FOLLOW_UP)
                .untilAsserted(() -> assertThat(client.v1()
                                .events()
                                .inNamespace("team-alpha")
                                .list()
                                .getItems())
                        .anySatisfy(e -> {
                            assertThat(e.getReason()).isEqualTo("BreakGlassUsed");
                            assertThat(e.getMessage()).contains("INC-4711").contains("user alice");
                        }));
        JsonNode expired = review(
                trustFirst,
                port,
                "UPDATE",
                deployment(
                        "api",
                        ALPHA,
                        "api:3",
                        Map.of(
                                "costguard.io/break-glass",
                                "INC-4711",
                                "costguard.io/break-glass-until",
                                operatorNow().minusSeconds(60).toString())),
                deployment("api", ALPHA, "api:2", null));
        assertThat(expired.path("allowed").asBoolean()).isFalse();
        assertThat(expired.at("/status/message").asText())
                .contains("The break-glass was refused: the break-glass expired at");
        assertThat(metrics(http))
                .contains("costguard_admission_break_glass_total{namespace=\"team-alpha\",rule=\"freeze\"} 1.0");

        // OPA denies what the built-in rules allow; slow or gone, the built-in rules decide alone
        JsonNode evil = review(trustFirst, port, "CREATE", deployment("web", BETA, "evil/miner:1", null), null);
        assertThat(evil.path("allowed").asBoolean()).isFalse();
        assertThat(evil.at("/status/message").asText())
                .isEqualTo("OPA: image evil/miner:1 is not from an approved registry");
        opa.delay(10_000);
        long start = System.nanoTime();
        JsonNode slow = review(trustFirst, port, "CREATE", deployment("web", BETA, "evil/miner:1", null), null);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("the review does not wait for a slow OPA")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(slow.path("allowed").asBoolean()).isTrue();
        assertThat(slow.path("warnings").toString()).contains("OPA is unavailable (OPA did not answer within 300ms)");
        opa.close();
        JsonNode gone =
                review(trustFirst, port, "CREATE", deployment("stray", Map.of("tenant", "beta"), "api:1", null), null);
        assertThat(gone.path("allowed").asBoolean())
                .as("never fail open on missing labels")
                .isFalse();
        assertThat(gone.path("warnings").toString()).contains("OPA is unavailable");
        assertThat(metrics(http))
                .contains("costguard_opa_errors_total{reason=\"timeout\"}")
                .contains("costguard_opa_up 0.0")
                .contains("costguard_admission_decisions_total{result=\"deny\",rule=\"freeze\"}");

        // a malformed body is a 400 with the reason
        Map.Entry<Integer, String> bad = TestTls.post(
                trustFirst,
                SERVICE,
                port,
                "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1beta1\"}");
        assertThat(bad.getKey()).isEqualTo(400);
        assertThat(bad.getValue()).contains("admissionReviewVersions");

        // cert-manager renews the Secret: the new certificate is served without a restart
        CertificateAuthority.Issued second = TestTls.issue();
        TestTls.write(tls, second.serving());
        SSLContext trustSecond = TestTls.trusting(second.ca().chain());
        await().atMost(Waits.CYCLES)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(TestTls.post(
                                        trustSecond,
                                        SERVICE,
                                        port,
                                        body("CREATE", deployment("web", BETA, "web:1", null), null))
                                .getKey())
                        .isEqualTo(200));
        assertThat(operator.alive()).isTrue();
        // logged just after the new key is in place, so it may trail the first answer served with it
        await().atMost(Waits.FOLLOW_UP).until(() -> operator.log().contains("webhook serving certificate reloaded"));
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String metrics(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static Map<String, Object> deployment(
            String name, Map<String, String> labels, String image, Map<String, String> annotations) {
        Map<String, Object> metadata = new HashMap<>(Map.of("name", name, "namespace", "team-alpha", "labels", labels));
        if (annotations != null) {
            metadata.put("annotations", annotations);
        }
        return Map.of(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "metadata",
                metadata,
                "spec",
                Map.of(
                        "replicas",
                        2,
                        "template",
                        Map.of(
                                "metadata",
                                Map.of("labels", labels),
                                "spec",
                                Map.of(
                                        "containers",
                                        List.of(Map.of(
                                                "name",
                                                "app",
                                                "image",
                                                image,
                                                "resources",
                                                Map.of("requests", Map.of("cpu", "500m", "memory", "1Gi"))))))));
    }

    static String body(String operation, Map<String, Object> object, Map<String, Object> old) throws Exception {
        Map<String, Object> request = new HashMap<>(Map.of(
                "uid",
                java.util.UUID.randomUUID().toString(),
                "operation",
                operation,
                "kind",
                Map.of("group", "apps", "version", "v1", "kind", "Deployment"),
                "resource",
                Map.of("group", "apps", "version", "v1", "resource", "deployments"),
                "namespace",
                "team-alpha",
                "name",
                ((Map<?, ?>) object.get("metadata")).get("name"),
                "userInfo",
                Map.of("username", "alice"),
                "object",
                object));
        if (old != null) {
            request.put("oldObject", old);
        }
        return JSON.writeValueAsString(
                Map.of("apiVersion", "admission.k8s.io/v1", "kind", "AdmissionReview", "request", request));
    }

    static JsonNode review(
            SSLContext tls, int port, String operation, Map<String, Object> object, Map<String, Object> old)
            throws Exception {
        Map.Entry<Integer, String> r = TestTls.post(tls, SERVICE, port, body(operation, object, old));
        assertThat(r.getKey()).as(r.getValue()).isEqualTo(200);
        return JSON.readTree(r.getValue()).path("response");
    }
}
