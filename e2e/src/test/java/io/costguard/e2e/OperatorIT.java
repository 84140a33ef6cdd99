package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.BudgetScope;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OpenMetricsHistory;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.demo.SyntheticCluster;
import io.costguard.demo.SyntheticPod;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a process against a real Prometheus holding generated history, with the expected
 * spend integrated by this test from the generated workload itself, not through PromQL or the operator.
 */
class OperatorIT {
    static final double CPU_CORE_HOUR = 0.031611;
    static final double MEMORY_GIB_HOUR = 0.004237;
    static final double GIB = 1024.0 * 1024 * 1024;
    static final Duration INTERVAL = Duration.ofSeconds(3);

    @TempDir
    static Path work;

    static SyntheticCluster cluster;
    static PrometheusProcess prometheus;
    static LocalKubernetes kube;
    static KubernetesClient client;
    static OperatorProcess operator;
    static int metricsPort;
    static Instant monthStart;
    static Duration clockOffset;

    @BeforeAll
    static void startEverything() throws Exception {
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        assertThat(jar).as("the packaged operator jar (mvn package)").exists();
        // early in a month there is too little spend to set budgets from: the history and the operator's clock move
        // back
        clockOffset = MonthOfHistory.outOfMonthStart(Instant.now());
        Instant now = operatorNow();
        monthStart = ZonedDateTime.ofInstant(now, ZoneOffset.UTC)
                .withDayOfMonth(1)
                .toLocalDate()
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        // history from four days before the month began (over 72 hours, for a forecast even on the 1st) until three
        // hours
        // from now (the operator never reads past now)
        Instant start = monthStart.minus(Duration.ofDays(4));
        Instant end = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 3600) * 3600)
                .plus(Duration.ofHours(3));
        cluster = SyntheticCluster.small(start, end, 7);
        OpenMetricsHistory history = new OpenMetricsHistory(cluster, Duration.ofMinutes(5));
        List<Path> files = history.writeDaily(Files.createDirectories(work.resolve("history")));
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(files);
        prometheus.start();

        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
        Path crds = Path.of(System.getProperty("costguard.repo", "..")).resolve("crds");
        kube.installCrds(
                client,
                List.of(Serialization.unmarshal(
                        Files.readString(crds.resolve("costbudgets.costguard.io-v1.yml")),
                        CustomResourceDefinition.class)));

        // amounts chosen from the expected spend so far: alpha at about 75 %, the namespace far below 70 %
        double alphaSoFar = expectedSpend(p -> "alpha".equals(p.labels().get("tenant")), monthStart, hourFloor(now));
        double namespaceSoFar = expectedSpend(p -> true, monthStart, hourFloor(now));
        createBudget("alpha-monthly", Map.of("tenant", "alpha"), money(alphaSoFar / 0.75));
        createBudget("namespace-monthly", Map.of(), money(namespaceSoFar * 4));

        metricsPort = freePort();
        Map<String, String> env = new java.util.HashMap<>(MonthOfHistory.clockEnv(clockOffset));
        env.putAll(Map.of(
                "KUBECONFIG",
                kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha").toString(),
                "COSTGUARD_PROMETHEUS_URL",
                prometheus.url().toString(),
                "COSTGUARD_PROMETHEUS_TIMEOUT",
                "2s",
                "COSTGUARD_EVALUATION_INTERVAL",
                INTERVAL.toSeconds() + "s",
                "COSTGUARD_RATE_WINDOW",
                "10m",
                "COSTGUARD_HTTP_PORT",
                Integer.toString(metricsPort),
                "POD_NAMESPACE",
                "costguard-system"));
        operator = OperatorProcess.start(jar, env, work.resolve("operator.log"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        closeAll(operator, client, kube, prometheus);
    }

    /**
     * One operator's life, in the order it happens: cost read right, a threshold crossed once, Prometheus lost and
     * found, SIGTERM. One test, so no step depends on another test having run first.
     */
    @Test
    void aBudgetsLifeFromFirstReadToShutdown() throws Exception {
        spendMatchesTheWorkloadWithinHalfAPercent();
        theSeventyPercentThresholdRaisesOneEvent();
        prometheusDownIsUnknownWithinTwoCyclesAndRecoversWhenBack();
        theOperatorStopsGracefullyOnSigterm();
    }

    void spendMatchesTheWorkloadWithinHalfAPercent() throws IOException {
        CostBudget alpha = awaitState("alpha-monthly", "Warning", Waits.STARTED);
        Instant through = Instant.parse(alpha.getStatus().dataThrough);
        Instant hour = hourFloor(operatorNow());
        assertThat(through)
                .as("data through the newest complete hour (or the one before, when an hour just turned)")
                .isIn(hour, hour.minus(Duration.ofHours(1)));
        double expected = expectedSpend(p -> "alpha".equals(p.labels().get("tenant")), monthStart, through);
        System.out.printf(
                "alpha-monthly: spent %s, expected %.4f, error %.4f%%%n",
                alpha.getStatus().spent,
                expected,
                100 * (Double.parseDouble(alpha.getStatus().spent) - expected) / expected);
        assertThat(Double.parseDouble(alpha.getStatus().spent))
                .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(0.5));
        assertThat(alpha.getStatus().periodStart).isEqualTo(monthStart.toString());
        // more than 48 hours of history: a forecast, at least what is spent, in the FORECAST column
        await().atMost(Waits.CYCLES)
                .until(() -> client.resources(CostBudget.class)
                                .inNamespace("team-alpha")
                                .withName("alpha-monthly")
                                .get()
                                .getStatus()
                                .forecast
                        != null);
        CostBudget forecast = client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName("alpha-monthly")
                .get();
        assertThat(Double.parseDouble(forecast.getStatus().forecast))
                .isGreaterThanOrEqualTo(Double.parseDouble(forecast.getStatus().spent));
        assertThat(forecast.getStatus().forecastPercent).isGreaterThanOrEqualTo(forecast.getStatus().usedPercent);
        // and its 80 % interval: spent <= low <= forecast <= high
        double low = Double.parseDouble(forecast.getStatus().forecastLow);
        double high = Double.parseDouble(forecast.getStatus().forecastHigh);
        assertThat(low)
                .isGreaterThanOrEqualTo(Double.parseDouble(forecast.getStatus().spent))
                .isLessThanOrEqualTo(Double.parseDouble(forecast.getStatus().forecast));
        assertThat(high).isGreaterThanOrEqualTo(Double.parseDouble(forecast.getStatus().forecast));

        // the namespace budget counts every pod, including the one without allocation labels
        CostBudget all = awaitState("namespace-monthly", "Ok", Waits.CYCLES);
        double expectedAll = expectedSpend(p -> true, monthStart, Instant.parse(all.getStatus().dataThrough));
        assertThat(Double.parseDouble(all.getStatus().spent))
                .isCloseTo(expectedAll, org.assertj.core.data.Percentage.withPercentage(0.5));
        double unlabelled =
                expectedSpend(p -> p.labels().isEmpty(), monthStart, Instant.parse(all.getStatus().dataThrough));
        assertThat(unlabelled).isPositive();
    }

    void theSeventyPercentThresholdRaisesOneEvent() throws Exception {
        await().atMost(Waits.CYCLES).until(() -> thresholdEvents().size() == 1);
        Event event = thresholdEvents().get(0);
        assertThat(event.getInvolvedObject().getName()).isEqualTo("alpha-monthly");
        assertThat(event.getMessage()).contains("70% threshold");
        Thread.sleep(INTERVAL.multipliedBy(2).toMillis());
        assertThat(thresholdEvents()).hasSize(1);

        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("costguard_budget_spent{currency=\"USD\",name=\"alpha-monthly\",namespace=\"team-alpha\"}")
                .contains(
                        "costguard_budget_forecast_low{currency=\"USD\",name=\"alpha-monthly\",namespace=\"team-alpha\"}")
                .contains(
                        "costguard_budget_forecast_high{currency=\"USD\",name=\"alpha-monthly\",namespace=\"team-alpha\"}")
                .contains(
                        "costguard_budget_state{name=\"alpha-monthly\",namespace=\"team-alpha\",state=\"Warning\"} 1.0")
                .as("the owners the budget alerts join on")
                .contains(
                        "costguard_budget_info{environment=\"\",feature=\"\",name=\"alpha-monthly\",namespace=\"team-alpha\",team=\"\",tenant=\"alpha\"} 1")
                .contains(
                        "costguard_threshold_crossings_total{name=\"alpha-monthly\",namespace=\"team-alpha\",percent=\"70\"} 1.0")
                .contains("costguard_prometheus_query_duration_seconds")
                .contains("costguard_unattributed_cost{namespace=\"team-alpha\"}");
        for (String probe : List.of("/readyz", "/healthz")) {
            assertThat(HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + probe))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as(probe)
                    .isEqualTo(200);
        }
    }

    void prometheusDownIsUnknownWithinTwoCyclesAndRecoversWhenBack() throws Exception {
        prometheus.stop();
        long stoppedAt = System.nanoTime();
        CostBudget blind =
                awaitState("alpha-monthly", "Unknown", INTERVAL.multipliedBy(2).plusSeconds(4));
        Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertThat(took).isLessThanOrEqualTo(INTERVAL.multipliedBy(2).plusSeconds(4));
        assertThat(blind.getStatus().spent)
                .as("the last known figures are kept")
                .isNotNull();
        // a cycle that met Prometheus shutting down may have seen an HTTP error first; the next one finds nobody there
        await().atMost(INTERVAL.multipliedBy(3).plusSeconds(4))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    Condition data = client
                            .resources(CostBudget.class)
                            .inNamespace("team-alpha")
                            .withName("alpha-monthly")
                            .get()
                            .getStatus()
                            .conditions
                            .stream()
                            .filter(c -> "DataAvailable".equals(c.getType()))
                            .findFirst()
                            .orElseThrow();
                    assertThat(data.getStatus()).isEqualTo("False");
                    assertThat(data.getReason()).isEqualTo("Unreachable");
                });
        assertThat(thresholdEvents()).hasSize(1);

        prometheus.start();
        CostBudget back = awaitState("alpha-monthly", "Warning", Waits.RESTARTED);
        assertThat(back.getStatus().conditions.stream()
                        .filter(c -> "DataAvailable".equals(c.getType()))
                        .findFirst()
                        .orElseThrow()
                        .getStatus())
                .isEqualTo("True");
    }

    void theOperatorStopsGracefullyOnSigterm() throws Exception {
        operator.stop();
        assertThat(operator.alive()).isFalse();
        assertThat(operator.log()).contains("costguard started").doesNotContain("Exception in thread");
    }

    /** The true cost of the pods matching {@code which} over [from, to): max(request, usage) by price, hour by hour. */
    static double expectedSpend(Predicate<SyntheticPod> which, Instant from, Instant to) {
        double total = 0;
        for (SyntheticPod p : cluster.pods()) {
            if (!which.test(p)) {
                continue;
            }
            for (long h = from.getEpochSecond(); h < to.getEpochSecond(); h += 3600) {
                if (!p.aliveAt(h)) {
                    continue;
                }
                double cpu = Math.max(p.cpuRequestCores(), p.cpuUsageCores(h));
                double mem = Math.max(p.memoryRequestBytes(), p.memoryUsageBytes(h)) / GIB;
                total += cpu * CPU_CORE_HOUR + mem * MEMORY_GIB_HOUR;
            }
        }
        return total;
    }

    static void createBudget(String name, Map<String, String> selector, String amount) {
        CostBudget b = new CostBudget();
        b.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("team-alpha")
                .build());
        b.setSpec(new CostBudgetSpec());
        b.getSpec().amount = amount;
        b.getSpec().scope = new BudgetScope();
        b.getSpec().scope.selector = selector;
        client.resource(b).create();
    }

    static CostBudget awaitState(String name, String state, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!operator.alive()) {
                throw new AssertionError("the operator exited:\n" + operator.log());
            }
            CostBudget b = client.resources(CostBudget.class)
                    .inNamespace("team-alpha")
                    .withName(name)
                    .get();
            return b.getStatus() != null && state.equals(b.getStatus().state);
        });
        return client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName(name)
                .get();
    }

    static List<Event> thresholdEvents() {
        return client.v1().events().inNamespace("team-alpha").list().getItems().stream()
                .filter(e -> "BudgetThresholdCrossed".equals(e.getReason()))
                .toList();
    }

    /** The operator's time now (moved back early in a month, see {@link MonthOfHistory#outOfMonthStart}). */
    static Instant operatorNow() {
        return Instant.now().plus(clockOffset);
    }

    static Instant hourFloor(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 3600) * 3600);
    }

    static String money(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** Closes what was started, in this order (the operator before the API it talks to), skipping what never started. */
    static void closeAll(AutoCloseable... started) throws Exception {
        for (AutoCloseable c : started) {
            if (c != null) {
                c.close();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
