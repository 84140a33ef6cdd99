package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.CostBudget;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OpenMetricsHistory;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.demo.SyntheticCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 20-hour scrape outage in the history of a real Prometheus, read by the packaged jar: the hours are missing data,
 * not zero spend. The operator's clock is set to the 15th of a month (testing.clockOffset), so the test runs the same
 * on every day of the real month.
 */
class GapsIT {
    static final double CPU_CORE_HOUR = 0.031611;
    static final double MEMORY_GIB_HOUR = 0.004237;

    @TempDir
    Path work;

    PrometheusProcess prometheus;
    LocalKubernetes kube;
    KubernetesClient client;
    OperatorProcess operator;

    @AfterEach
    void stop() throws Exception {
        OperatorIT.closeAll(operator, client, kube, prometheus);
    }

    @Test
    void aTwentyHourHoleLowersDataCoverageAndInventsNoAnomalyNorADrop() throws Exception {
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        assertThat(jar).as("the packaged operator jar (mvn package)").exists();
        // the operator's now: the 15th of this month (or the last one passed) at the real time of day
        ZonedDateTime real = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime shifted = real.getDayOfMonth() >= 15
                ? real.withDayOfMonth(15)
                : real.minusMonths(1).withDayOfMonth(15);
        Instant now = shifted.toInstant();
        Instant monthStart = shifted.toLocalDate()
                .withDayOfMonth(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Instant monthEnd = shifted.toLocalDate()
                .withDayOfMonth(1)
                .plusMonths(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Instant hour = OperatorIT.hourFloor(now);
        // no samples from the 12th 02:00 to 22:00; the 13th and 14th are whole days before the operator's today
        Instant holeFrom = monthStart.plus(Duration.ofDays(11).plusHours(2));
        Instant holeTo = holeFrom.plus(Duration.ofHours(20));
        Instant start = monthStart.minus(Duration.ofDays(10));
        SyntheticCluster cluster = SyntheticCluster.small(start, hour.plus(Duration.ofHours(3)), 5);
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(new OpenMetricsHistory(cluster, Duration.ofMinutes(5))
                .withOutage(holeFrom, holeTo)
                .writeDaily(Files.createDirectories(work.resolve("history"))));
        prometheus.start();

        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
        kube.installCrds(client, List.of(MonthOfHistory.costBudgetCrd()));
        client.resource(AlphaBudgets.budget("alpha", "1000000.00", false)).create();

        int metricsPort = OperatorIT.freePort();
        Map<String, String> env = new HashMap<>();
        env.put(
                "COSTGUARD_TEST_CLOCK_OFFSET",
                "-" + Duration.between(now, Instant.now()).toMillis() + "ms");
        env.put(
                "KUBECONFIG",
                kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha").toString());
        env.put("COSTGUARD_PROMETHEUS_URL", prometheus.url().toString());
        env.put("COSTGUARD_EVALUATION_INTERVAL", "2s");
        env.put("COSTGUARD_RATE_WINDOW", "10m");
        env.put("COSTGUARD_HTTP_PORT", Integer.toString(metricsPort));
        env.put("POD_NAMESPACE", "costguard-system");
        operator = OperatorProcess.start(jar, env, work.resolve("operator.log"));

        await().atMost(Waits.HISTORY_READ).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(operator.alive()).as("operator running").isTrue();
            CostBudget b = client.resources(CostBudget.class)
                    .inNamespace("team-alpha")
                    .withName("alpha")
                    .get();
            assertThat(b.getStatus()).isNotNull();
            assertThat(b.getStatus().forecast).isNotNull();
            assertThat(condition(b, "AnomalyDetected")).isNotNull();
            assertThat(condition(b, "DataComplete")).isNotNull();
        });
        CostBudget b = client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName("alpha")
                .get();
        Instant through = Instant.parse(b.getStatus().dataThrough);
        long elapsed = Duration.between(monthStart, through).toHours();
        System.out.printf(
                "gaps: dataCoverage %s of %d hours, spent %s, forecast %s; DataComplete: %s; "
                        + "AnomalyDetected: %s%n",
                b.getStatus().dataCoverage,
                elapsed,
                b.getStatus().spent,
                b.getStatus().forecast,
                condition(b, "DataComplete").getMessage(),
                condition(b, "AnomalyDetected").getMessage());

        // the hole's edge hours keep a few samples (10-minute lookback): 18 to 20 hours have none at all
        Matcher m = Pattern.compile("^(\\d+) of (\\d+) hours of this period have no cost data")
                .matcher(condition(b, "DataComplete").getMessage());
        assertThat(m.find()).as(condition(b, "DataComplete").getMessage()).isTrue();
        int missing = Integer.parseInt(m.group(1));
        assertThat(missing).isBetween(18, 20);
        assertThat(Long.parseLong(m.group(2))).isEqualTo(elapsed);
        assertThat(b.getStatus().dataCoveragePercent)
                .isEqualTo((int) ((elapsed - missing) * 100 / elapsed))
                .isLessThan(100);
        assertThat(b.getStatus().dataCoverage).isEqualTo(b.getStatus().dataCoveragePercent + "%");
        assertThat(condition(b, "DataComplete").getMessage())
                .contains("between " + holeFrom.toString().substring(0, 11));
        assertThat(b.getStatus().state).as("actions follow spend, not coverage").isEqualTo("Ok");

        // no anomaly on the day after the hole: the 12th is not judged, nor taken as a baseline
        String holeDay = holeFrom.toString().substring(0, 10);
        assertThat(condition(b, "AnomalyDetected").getStatus()).isEqualTo("False");
        assertThat(condition(b, "AnomalyDetected").getMessage()).contains("not judged", holeDay);
        assertThat(b.getStatus().anomalies).isNull();
        assertThat(client.v1().events().inNamespace("team-alpha").list().getItems().stream()
                        .filter(e -> "CostAnomalyDetected".equals(e.getReason())))
                .isEmpty();

        // the forecast goes on at the workload's own rate: the hole pulls neither the level nor the trend down
        double spent = Double.parseDouble(b.getStatus().spent);
        double remaining = Double.parseDouble(b.getStatus().forecast) - spent;
        double trueRemaining =
                cluster(start, monthEnd).spentBy("alpha", through, monthEnd, CPU_CORE_HOUR, MEMORY_GIB_HOUR);
        System.out.printf(
                "gaps: forecast of the rest %.2f, true %.2f (%+.1f%%)%n",
                remaining, trueRemaining, 100 * (remaining / trueRemaining - 1));
        assertThat(remaining).isCloseTo(trueRemaining, org.assertj.core.data.Percentage.withPercentage(5));
        // the hole's spend is missing, not invented
        assertThat(spent).isLessThan(cluster.spentBy("alpha", monthStart, through, CPU_CORE_HOUR, MEMORY_GIB_HOUR));

        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher ratio = Pattern.compile(
                        "costguard_budget_data_coverage_ratio\\{name=\"alpha\",namespace=\"team-alpha\"} (\\S+)")
                .matcher(metrics);
        assertThat(ratio.find()).as("coverage gauge in /metrics").isTrue();
        assertThat(Double.parseDouble(ratio.group(1)))
                .isCloseTo((elapsed - missing) / (double) elapsed, org.assertj.core.data.Offset.offset(1e-9));

        // the same history as a billing export, through the jar's CLI: missing rows are missing hours
        StringBuilder csv = new StringBuilder("timestamp,cost\n");
        SyntheticCluster whole = cluster(start, monthEnd);
        for (Instant h = start; h.isBefore(hour.plus(Duration.ofHours(3))); h = h.plus(Duration.ofHours(1))) {
            if (h.isBefore(holeFrom) || !h.isBefore(holeTo)) {
                csv.append(h)
                        .append(',')
                        .append(whole.spentBy("alpha", h, h.plusSeconds(3600), CPU_CORE_HOUR, MEMORY_GIB_HOUR))
                        .append('\n');
            }
        }
        Path file = Files.writeString(work.resolve("alpha.csv"), csv);
        ChildProcess cli = ChildProcess.run(
                new ProcessBuilder(
                                "java",
                                "-jar",
                                jar.toString(),
                                "forecast",
                                file.toString(),
                                "--as-of",
                                through.toString(),
                                "-o",
                                "json")
                        .redirectErrorStream(true),
                Duration.ofSeconds(60));
        assertThat(cli.exit()).as(cli.output()).isZero();
        JsonNode j = new ObjectMapper().readTree(cli.output());
        assertThat(j.path("missingHours").asInt()).isEqualTo(20);
        assertThat(j.path("dataThrough").asText()).isEqualTo(through.toString());
        assertThat(j.path("periodStart").asText()).isEqualTo(monthStart.toString());
        assertThat(j.path("dataCoveragePercent").asInt()).isEqualTo((int) ((elapsed - 20) * 100 / elapsed));
        double cliRemaining = j.path("forecast").asDouble() - j.path("spent").asDouble();
        assertThat(cliRemaining).isCloseTo(trueRemaining, org.assertj.core.data.Percentage.withPercentage(5));
        ChildProcess anomalies = ChildProcess.run(
                new ProcessBuilder(
                                "java",
                                "-jar",
                                jar.toString(),
                                "anomalies",
                                file.toString(),
                                "--as-of",
                                through.toString(),
                                "-o",
                                "json")
                        .redirectErrorStream(true),
                Duration.ofSeconds(60));
        assertThat(anomalies.exit()).as(anomalies.output()).isZero();
        JsonNode a = new ObjectMapper().readTree(anomalies.output());
        assertThat(a.path("anomalies")).as(anomalies.output()).isEmpty();
        assertThat(a.path("days").findValuesAsText("reason")).containsExactly("MissingData");
    }

    /** The same workload (same seed) until {@code end}, for the spend the operator has not seen yet. */
    static SyntheticCluster cluster(Instant start, Instant end) {
        return SyntheticCluster.small(start, end, 5);
    }

    static Condition condition(CostBudget b, String type) {
        return b.getStatus().conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }
}
