package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.costguard.demo.OperatorProcess;
import io.costguard.testing.TestTls;
import io.costguard.webhook.CertificateAuthority;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl scale} against the packaged jar while a budget freezes tenant alpha: the Scale's selector carries
 * no allocation labels, the Deployment's pod template does. A user's scale-up is denied naming the Deployment, the
 * HPA's passes, a scale-down passes; a break-glass on the Deployment lets it through, and a dry run of that is
 * answered the same without being counted.
 */
class ScaleFreezeIT {
  static final String HPA = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
  @TempDir Path work;
  final AdmissionIT cluster = new AdmissionIT();
  OperatorProcess operator;

  @AfterEach
  void stop() throws Exception {
    if (operator != null) {
      operator.close();
    }
    cluster.stop();
  }

  @Test
  void kubectlScaleInAFrozenScopeIsJudgedByTheDeployment() throws Exception {
    Instant now = Instant.now();
    cluster.work = work;
    Path kubeconfig = cluster.setUp(now);
    deployment(Map.of());
    CertificateAuthority.Issued issued = TestTls.issue();
    Path tls = work.resolve("tls");
    TestTls.write(tls, issued.serving());
    int port = AdmissionIT.freePort();
    int http = AdmissionIT.freePort();
    Map<String, String> env = new HashMap<>(Map.of(
        "KUBECONFIG", kubeconfig.toString(), "COSTGUARD_PROMETHEUS_URL", cluster.prometheus.url().toString(),
        "COSTGUARD_EVALUATION_INTERVAL", "1s", "COSTGUARD_RATE_WINDOW", "10m", "COSTGUARD_SERVER_SIDE_APPLY", "false",
        "COSTGUARD_HTTP_PORT", String.valueOf(http), "POD_NAMESPACE", "costguard-system",
        "COSTGUARD_WEBHOOK_ENABLED", "true", "COSTGUARD_WEBHOOK_PORT", String.valueOf(port), "COSTGUARD_WEBHOOK_CERT_DIR", tls.toString()));
    operator = OperatorProcess.start(Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar")), env,
        work.resolve("operator.log"));
    SSLContext trust = TestTls.trusting(issued.ca().chain());

    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
      JsonNode r = scale(trust, port, "alice", 2, 4, false);
      assertThat(r.path("allowed").asBoolean()).as(r.toString()).isFalse();
      assertThat(r.at("/status/message").asText())
          .startsWith("Deployment team-alpha/checkout-api: rollouts are frozen by CostBudget team-alpha/alpha")
          .contains("replicas rise from 2 to 4 through /scale")
          .contains("kubectl annotate -n team-alpha deployment/checkout-api costguard.io/break-glass=");
    });
    assertThat(scale(trust, port, HPA, 2, 4, false).path("allowed").asBoolean()).as("the HPA scales up").isTrue();
    assertThat(scale(trust, port, "alice", 4, 2, false).path("allowed").asBoolean()).as("scale-down").isTrue();

    deployment(Map.of("costguard.io/break-glass", "INC-4711 traffic spike", "costguard.io/break-glass-until", now.plusSeconds(1800).toString()));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonNode dry = scale(trust, port, "alice", 2, 4, true);
      assertThat(dry.path("allowed").asBoolean()).as(dry.toString()).isTrue();
      assertThat(dry.path("warnings").toString()).contains("break-glass 'INC-4711 traffic spike' let this through");
    });
    assertThat(AdmissionIT.metrics(http)).as("a dry run is not a use").doesNotContain("costguard_admission_break_glass_total{");
    JsonNode used = scale(trust, port, "alice", 2, 4, false);
    assertThat(used.path("allowed").asBoolean()).isTrue();
    assertThat(AdmissionIT.metrics(http)).contains("costguard_admission_break_glass_total{namespace=\"team-alpha\",rule=\"freeze\"} 1.0");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.client.v1().events().inNamespace("team-alpha").list().getItems())
        .filteredOn(e -> "BreakGlassUsed".equals(e.getReason())).singleElement().satisfies(e -> {
          assertThat(e.getInvolvedObject().getKind()).isEqualTo("Deployment");
          assertThat(e.getInvolvedObject().getName()).isEqualTo("checkout-api");
          assertThat(e.getMessage()).contains("INC-4711").contains("user alice");
        }));
    assertThat(operator.alive()).isTrue();
  }

  void deployment(Map<String, String> annotations) {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("checkout-api").withNamespace("team-alpha").withLabels(AdmissionIT.ALPHA)
        .withAnnotations(annotations).endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "checkout-api").endSelector()
        .withNewTemplate().withNewMetadata().withLabels(withApp()).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("checkout:1").endContainer().endSpec().endTemplate().endSpec().build();
    cluster.client.resource(d).createOr(x -> x.update());
  }

  private static Map<String, String> withApp() {
    Map<String, String> labels = new HashMap<>(AdmissionIT.ALPHA);
    labels.put("app", "checkout-api");
    return labels;
  }

  /** A Scale UPDATE as the API server sends it for {@code kubectl scale deploy checkout-api}. */
  static JsonNode scale(SSLContext tls, int port, String user, int before, int after, boolean dryRun) throws Exception {
    Map<String, Object> request = new HashMap<>(Map.of("uid", java.util.UUID.randomUUID().toString(), "operation", "UPDATE",
        "kind", Map.of("group", "autoscaling", "version", "v1", "kind", "Scale"),
        "resource", Map.of("group", "apps", "version", "v1", "resource", "deployments"), "subResource", "scale",
        "namespace", "team-alpha", "name", "checkout-api", "userInfo", Map.of("username", user),
        "object", scaleObject(after), "oldObject", scaleObject(before)));
    request.put("dryRun", dryRun);
    String body = AdmissionIT.JSON.writeValueAsString(Map.of("apiVersion", "admission.k8s.io/v1", "kind", "AdmissionReview", "request", request));
    Map.Entry<Integer, String> r = TestTls.post(tls, AdmissionIT.SERVICE, port, body);
    assertThat(r.getKey()).as(r.getValue()).isEqualTo(200);
    return AdmissionIT.JSON.readTree(r.getValue()).path("response");
  }

  static Map<String, Object> scaleObject(int replicas) {
    return Map.of("apiVersion", "autoscaling/v1", "kind", "Scale", "metadata", Map.of("name", "checkout-api", "namespace", "team-alpha"),
        "spec", Map.of("replicas", replicas), "status", Map.of("replicas", 2, "selector", "app=checkout-api"));
  }
}
