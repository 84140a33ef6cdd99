package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.ActionRecord;
import io.costguard.api.CostBudget;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.kube.Conflicts;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar against a real Prometheus that loses its data: the same URL answers from an empty TSDB while one
 * budget throttles (90 %) and another freezes (102 %). Missing data, not zero cost: both go Unknown, nothing is
 * reverted; with the data back both are in force as before, and an undone throttle is applied again.
 */
class EmptyAnswerIT {
  @TempDir Path work;
  PrometheusProcess prometheus;
  LocalKubernetes kube;
  KubernetesClient client;
  OperatorProcess operator;
  int metricsPort;
  Watch watch;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {watch, operator, client, kube, prometheus}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void anEmptyTsdbAfterRealDataRevertsNothing() throws Exception {
    MonthOfHistory history = MonthOfHistory.start(work, Instant.now());
    prometheus = history.prometheus();
    kube = new LocalKubernetes().start();
    client = kube.client();
    kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
    kube.installCrds(client, List.of(MonthOfHistory.costBudgetCrd(), ActionsIT.featureFlagCrd()));
    AlphaBudgets.createFlag(client);
    // every write of the flag: a revert and re-apply in between would show as an "on" after the first "off"
    List<String> variants = new java.util.concurrent.CopyOnWriteArrayList<>();
    watch = client.genericKubernetesResources("core.openfeature.dev/v1beta1", "FeatureFlag").inNamespace("team-alpha")
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource r) {
            String v = AlphaBudgets.variant(r);
            if (variants.isEmpty() || !variants.get(variants.size() - 1).equals(v)) {
              variants.add(v);
            }
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
    String throttleAt = amount(history.alphaSpent(), 0.90);
    String freezeAt = amount(history.alphaSpent(), 1.02);
    createBudget("throttled", throttleAt, true);
    createBudget("frozen", freezeAt, false);

    Path kubeconfig = kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha");
    Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
    try (ServerSocket s = new ServerSocket(0)) {
      metricsPort = s.getLocalPort();
    }
    operator = OperatorProcess.start(jar, Map.of(
        "KUBECONFIG", kubeconfig.toString(),
        "COSTGUARD_PROMETHEUS_URL", prometheus.url().toString(),
        "COSTGUARD_EVALUATION_INTERVAL", "1s",
        "COSTGUARD_RATE_WINDOW", "10m",
        "COSTGUARD_SERVER_SIDE_APPLY", "false",
        "COSTGUARD_HTTP_PORT", Integer.toString(metricsPort),
        "POD_NAMESPACE", "costguard-system"), work.resolve("operator.log"));
    awaitInForce();
    String spentThrottled = budget("throttled").getStatus().spent;

    // the same URL, an empty TSDB: Prometheus answers 200 with no series
    Path data = work.resolve("prometheus-data");
    Path saved = work.resolve("prometheus-data.saved");
    prometheus.stop();
    Files.move(data, saved);
    Files.createDirectories(data);
    prometheus.start();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (String name : List.of("throttled", "frozen")) {
        CostBudget b = budget(name);
        assertThat(b.getStatus().state).isEqualTo("Unknown");
        assertThat(Conditions.find(b.getStatus().conditions, "DataAvailable").getReason()).isEqualTo("MissingHours");
      }
      assertThat(metrics()).contains("costguard_cost_data_available 0.0").doesNotContain("costguard_cost_missing_hours 0.0");
    });
    Thread.sleep(3000);
    CostBudget throttled = budget("throttled");
    assertThat(throttled.getStatus().spent).isEqualTo(spentThrottled);
    assertThat(result(throttled, 85, "Throttle")).isEqualTo("Done");
    assertThat(throttled.getStatus().throttledFlags).hasSize(1);
    assertThat(flagVariant()).isEqualTo("off");
    CostBudget frozen = budget("frozen");
    assertThat(result(frozen, 100, "Freeze")).isEqualTo("Done");
    assertThat(frozen.getStatus().deploysFrozen).isTrue();

    // the data is back: both in force as before
    prometheus.stop();
    try (var files = Files.walk(data)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.move(saved, data);
    prometheus.start();
    awaitInForce();
    Thread.sleep(2000);
    assertThat(variants).containsExactly("on", "off");

    // undone by a raised amount, applied again when the amount is lowered back
    setAmount("throttled", "100000.00");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(flagVariant()).isEqualTo("on"));
    setAmount("throttled", throttleAt);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(flagVariant()).isEqualTo("off");
      assertThat(result(budget("throttled"), 85, "Throttle")).isEqualTo("Done");
    });
  }

  private void awaitInForce() {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      CostBudget throttled = budget("throttled");
      assertThat(throttled.getStatus()).isNotNull();
      assertThat(throttled.getStatus().state).isEqualTo("Critical");
      assertThat(result(throttled, 85, "Throttle")).isEqualTo("Done");
      assertThat(flagVariant()).isEqualTo("off");
      CostBudget frozen = budget("frozen");
      assertThat(frozen.getStatus().state).isEqualTo("Exceeded");
      assertThat(result(frozen, 100, "Freeze")).isEqualTo("Done");
      assertThat(frozen.getStatus().deploysFrozen).isTrue();
    });
  }

  private static String amount(double spent, double share) {
    return BigDecimal.valueOf(spent / share).setScale(2, RoundingMode.HALF_UP).toPlainString();
  }

  private void createBudget(String name, String amount, boolean throttle) {
    client.resource(AlphaBudgets.budget(name, amount, throttle)).create();
  }

  private void setAmount(String name, String amount) {
    Conflicts.retry(() -> client.resources(CostBudget.class).inNamespace("team-alpha").withName(name).edit(b -> {
      b.getSpec().amount = amount;
      return b;
    }));
  }

  private CostBudget budget(String name) {
    return client.resources(CostBudget.class).inNamespace("team-alpha").withName(name).get();
  }

  private static String result(CostBudget b, int percent, String type) {
    if (b.getStatus() == null || b.getStatus().crossedThresholds == null) {
      return null;
    }
    return b.getStatus().crossedThresholds.stream().filter(c -> c.percent == percent).findFirst()
        .flatMap(c -> c.actions.stream().filter(a -> type.equals(a.type)).findFirst()).map((ActionRecord a) -> a.result).orElse(null);
  }

  private String flagVariant() {
    return AlphaBudgets.variant(client.genericKubernetesResources(AlphaBudgets.FLAG_API, "FeatureFlag")
        .inNamespace("team-alpha").withName("alpha-flags").get());
  }

  private String metrics() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
