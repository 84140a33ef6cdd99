package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.CostBudget;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar with a Prometheus URL holding a user and password, and a header: it reads cost with them, and neither the
 * password nor the header value appears in its output, a budget's status, an Event or /metrics, also once
 * Prometheus is gone and the failure is reported.
 */
class CredentialsIT {
  private static final String PASSWORD = "S3cret-Passw0rd-e2e";
  private static final String HEADER_VALUE = "org-header-v4lue";

  @TempDir Path work;
  PrometheusProcess prometheus;
  LocalKubernetes kube;
  KubernetesClient client;
  OperatorProcess operator;

  @AfterEach
  void stop() throws Exception {
    if (operator != null) {
      System.out.println("---- operator log ----\n" + operator.log());
    }
    for (AutoCloseable c : new AutoCloseable[] {operator, client, kube, prometheus}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void credentialsNeverReachALogAStatusAnEventOrAMetric() throws Exception {
    DailyBudgetCluster cluster = new DailyBudgetCluster(work);
    prometheus = cluster.prometheus;
    kube = cluster.kube;
    client = cluster.client;

    String base = prometheus.url().toString();
    String withUser = base.replace("://", "://costguard-reader:" + PASSWORD + "@");
    int metricsPort = OperatorIT.freePort();
    operator = OperatorProcess.start(Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar")), Map.of(
        "KUBECONFIG", kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha").toString(),
        "COSTGUARD_PROMETHEUS_URL", withUser,
        "COSTGUARD_PROMETHEUS_HEADERS", "X-Scope-OrgID=" + HEADER_VALUE,
        "COSTGUARD_PROMETHEUS_TIMEOUT", "2s",
        "COSTGUARD_EVALUATION_INTERVAL", "2s",
        "COSTGUARD_RATE_WINDOW", "10m",
        "COSTGUARD_HTTP_PORT", Integer.toString(metricsPort),
        "POD_NAMESPACE", "costguard-system"), work.resolve("operator.log"));

    // the credentials do their work: cost is read
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(statusText()).contains("CostDataFresh"));
    assertThat(operator.log()).contains("Prometheus " + base.replaceAll("/$", ""));

    // the failure a tenant reads names where, not with what
    prometheus.stop();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(statusText()).contains("\"DataAvailable\"").contains("Unreachable").contains(prometheus.url().getAuthority()));

    String events = Serialization.asJson(client.v1().events().inNamespace("team-alpha").list());
    String metrics = AdmissionIT.metrics(metricsPort);
    for (String text : List.of(operator.log(), statusText(), events, metrics)) {
      assertThat(text).doesNotContain(PASSWORD).doesNotContain(HEADER_VALUE).doesNotContain("costguard-reader");
    }
  }

  private String statusText() {
    return Serialization.asJson(client.resources(CostBudget.class).inNamespace("team-alpha").withName("daily").get().getStatus());
  }
}
