package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.AnomalyDriver;
import io.costguard.api.CostAnomaly;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OpenMetricsHistory;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.demo.SyntheticCluster;
import io.costguard.demo.SyntheticPod;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar against a real Prometheus holding 16 days of three tenants' workloads in one namespace, where
 * tenant beta's batch job cost four times its usual on one day: the namespace budget's anomaly on that day
 * names beta as its driver, in status and in the Event.
 */
class AnomalyDriversIT {
    static final double GIB = 1024.0 * 1024 * 1024;

    @TempDir
    Path work;

    PrometheusProcess prometheus;
    LocalKubernetes kube;
    KubernetesClient client;
    OperatorProcess operator;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {operator, client, kube, prometheus}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void theTenantWhoseWorkloadSpikedIsTheAnomalysDriver() throws Exception {
        Instant now = Instant.now();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate spikeDay = today.minusDays(2);
        Instant start = today.minusDays(16).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 3600) * 3600)
                .plus(Duration.ofHours(3));
        long spikeFrom = spikeDay.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        // below 1 the request is billed (flat), above it the usage: beta's job uses four times its request for a day
        SyntheticPod.UsageProfile batch = hour -> hour >= spikeFrom && hour < spikeFrom + 86400 ? 4.0 : 0.5;
        SyntheticCluster cluster = SyntheticCluster.of(
                List.of(
                        pod("alpha-api", "alpha", 2.0, 4, start, end, hour -> 0.5),
                        pod("gamma-api", "gamma", 1.0, 2, start, end, hour -> 0.5),
                        pod("beta-batch", "beta", 1.0, 2, start, end, batch)),
                start,
                end);
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(new OpenMetricsHistory(cluster, Duration.ofMinutes(5))
                .writeDaily(Files.createDirectories(work.resolve("history"))));
        prometheus.start();
        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
        kube.installCrds(client, List.of(MonthOfHistory.costBudgetCrd()));
        CostBudget budget = new CostBudget();
        budget.setMetadata(new ObjectMetaBuilder()
                .withName("namespace")
                .withNamespace("team-alpha")
                .build());
        budget.setSpec(new CostBudgetSpec());
        budget.getSpec().amount = "100000.00";
        client.resource(budget).create();

        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        operator = OperatorProcess.start(
                jar,
                Map.of(
                        "KUBECONFIG",
                                kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha")
                                        .toString(),
                        "COSTGUARD_PROMETHEUS_URL", prometheus.url().toString(),
                        "COSTGUARD_EVALUATION_INTERVAL", "2s",
                        "COSTGUARD_RATE_WINDOW", "10m",
                        "COSTGUARD_HTTP_PORT", "0",
                        "POD_NAMESPACE", "costguard-system"),
                work.resolve("operator.log"));

        await().atMost(Waits.HISTORY_READ).untilAsserted(() -> {
            CostBudget b = client.resources(CostBudget.class)
                    .inNamespace("team-alpha")
                    .withName("namespace")
                    .get();
            assertThat(b.getStatus()).isNotNull();
            assertThat(b.getStatus().anomalies)
                    .as("anomalies; operator log:%n%s", operator.log())
                    .isNotNull()
                    .extracting(a -> a.day)
                    .contains(spikeDay.toString());
        });
        CostAnomaly anomaly = client
                .resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName("namespace")
                .get()
                .getStatus()
                .anomalies
                .stream()
                .filter(a -> a.day.equals(spikeDay.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(anomaly.drivers).isNotEmpty();
        AnomalyDriver top = anomaly.drivers.get(0);
        assertThat(top.namespace).isEqualTo("team-alpha");
        assertThat(top.keys).containsEntry("tenant", "beta").containsEntry("feature", "batch");
        assertThat(top.sharePercent).isGreaterThanOrEqualTo(80);
        assertThat(Double.parseDouble(top.change)).isPositive();
        List<Event> events = client.v1().events().inNamespace("team-alpha").list().getItems().stream()
                .filter(e -> "CostAnomalyDetected".equals(e.getReason())
                        && e.getMessage().contains(spikeDay.toString()))
                .toList();
        assertThat(events)
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage())
                        .contains(
                                "; driven by tenant=beta,feature=batch,team=beta,environment=prod in ns team-alpha +"));
    }

    private static SyntheticPod pod(
            String name,
            String tenant,
            double cpu,
            double memoryGiB,
            Instant start,
            Instant end,
            SyntheticPod.UsageProfile usage) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("tenant", tenant);
        labels.put("feature", name.endsWith("batch") ? "batch" : "api");
        labels.put("team", tenant);
        labels.put("environment", "prod");
        return new SyntheticPod("team-alpha", name, labels, cpu, memoryGiB * GIB, start, end, usage);
    }
}
