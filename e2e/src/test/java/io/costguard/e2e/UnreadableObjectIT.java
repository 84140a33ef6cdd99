package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar with a CostBudget of the wrong shape beside a healthy one (as {@code kubectl apply
 * --validate=false} against a looser CRD leaves it): the jar keeps running, the healthy budget gets its status,
 * the broken one is Invalid naming the field, with one log line and no stack trace.
 */
class UnreadableObjectIT {
  @TempDir Path work;

  @Test
  void aBrokenBudgetIsReportedAndSkippedWhileTheOperatorGoesOn() throws Exception {
    Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
    assertThat(jar).as("the packaged operator jar (mvn package)").exists();
    List<AutoCloseable> started = new ArrayList<>();
    try {
      LocalKubernetes kube = new LocalKubernetes().start();
      started.add(0, kube);
      KubernetesClient client = kube.client();
      started.add(0, client);
      kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
      Path crds = Path.of(System.getProperty("costguard.repo", "..")).resolve("crds");
      List<CustomResourceDefinition> definitions = new ArrayList<>();
      for (String crd : List.of("costbudgets", "perfbaselines", "benchruns")) {
        definitions.add(Serialization.unmarshal(Files.readString(crds.resolve(crd + ".costguard.io-v1.yml")), CustomResourceDefinition.class));
      }
      kube.installCrds(client, definitions);
      raw(client, "healthy", "{\"amount\": \"100.00\"}");
      raw(client, "broken", "{\"amount\": \"100.00\", \"thresholds\": {\"percent\": 70, \"actions\": [\"Notify\"]}}");

      int port = OperatorIT.freePort();
      OperatorProcess operator = OperatorProcess.start(jar, Map.of(
          "KUBECONFIG", kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha").toString(),
          // no Prometheus: the healthy budget is Unknown, which is a status its reconcile writes
          "COSTGUARD_PROMETHEUS_URL", "http://127.0.0.1:" + OperatorIT.freePort(),
          "COSTGUARD_PROMETHEUS_TIMEOUT", "1s",
          "COSTGUARD_EVALUATION_INTERVAL", "3s",
          "COSTGUARD_HTTP_PORT", Integer.toString(port),
          "POD_NAMESPACE", "costguard-system"), work.resolve("operator.log"));
      started.add(0, operator);

      // read as generic objects: this module's CostBudget class may be an older build than the jar under test
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
        assertThat(status(client, "healthy")).containsEntry("state", "Unknown");
        Map<String, Object> broken = status(client, "broken");
        assertThat(broken).containsEntry("state", "Invalid");
        assertThat(String.valueOf(broken.get("conditions"))).contains("message=spec.thresholds: is an object, but a list belongs here");
      });
      Thread.sleep(6_000); // two more cycles: still running, still answering
      assertThat(operator.alive()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).contains("costguard_unreadable_objects{kind=\"CostBudget\",namespace=\"team-alpha\"} 1.0");
      assertThat(client.v1().events().inNamespace("team-alpha").list().getItems())
          .anySatisfy(e -> assertThat(e.getReason() + " " + e.getInvolvedObject().getName()).isEqualTo("UnreadableObject broken"));

      String log = operator.log();
      assertThat(log.lines().filter(l -> l.contains("team-alpha/broken cannot be read"))).singleElement().asString()
          .contains("spec.thresholds");
      assertThat(log).doesNotContain("UnrecognizedPropertyException", "MismatchedInputException", "\tat com.fasterxml");
    } finally {
      OperatorIT.closeAll(started.toArray(AutoCloseable[]::new));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(KubernetesClient client, String name) {
    return (Map<String, Object>) client.genericKubernetesResources("costguard.io/v1alpha1", "CostBudget").inNamespace("team-alpha")
        .withName(name).get().getAdditionalProperties().get("status");
  }

  private static void raw(KubernetesClient client, String name, String spec) {
    client.resource(Serialization.unmarshal("{\"apiVersion\": \"costguard.io/v1alpha1\", \"kind\": \"CostBudget\", \"metadata\": {\"name\": \""
        + name + "\", \"namespace\": \"team-alpha\"}, \"spec\": " + spec + "}", GenericKubernetesResource.class)).create();
  }
}
