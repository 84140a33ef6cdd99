package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.CostBudget;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OpenMetricsHistory;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.demo.SyntheticCluster;
import io.costguard.demo.SyntheticPod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * costguard report through the jar against a real Prometheus holding 30 days of generated history: tenants alpha and
 * beta, an unlabelled pod, a shared monitoring namespace, a claim mounted by three pods (two alpha, one beta), an
 * unmounted claim, and OpenCost's node cost with idle shared. The test's own hour-by-hour arithmetic is the reference.
 */
class ChargebackReportIT {
    static final double GIB = 1024.0 * 1024 * 1024;
    static final double CPU = 0.031611;
    static final double MEMORY = 0.004237;
    static final double STORAGE_HOUR = 0.04 / 730;
    static final double NODE_HOUR = 2.0;
    static final long DAY = 86400;
    static final Instant END = Instant.ofEpochSecond(Math.floorDiv(Instant.now().getEpochSecond(), DAY) * DAY - DAY);
    static final Instant START = END.minus(Duration.ofDays(30));

    @TempDir
    static Path work;

    static PrometheusProcess prometheus;
    static SyntheticCluster cluster;

    @BeforeAll
    static void startPrometheus() throws Exception {
        SyntheticCluster small = SyntheticCluster.small(START, END.plus(Duration.ofHours(2)), 18);
        List<SyntheticPod> pods = new ArrayList<>(small.pods());
        pods.add(new SyntheticPod(
                "monitoring",
                "prometheus-0",
                Map.of("tenant", "platform", "feature", "metrics", "team", "sre", "environment", "prod"),
                1.0,
                2 * GIB,
                START,
                END.plus(Duration.ofHours(2)),
                h -> 0.5));
        cluster = SyntheticCluster.of(pods, START, END.plus(Duration.ofHours(2)));
        Path history = Files.createDirectories(work.resolve("history"));
        List<Path> files = new ArrayList<>(new OpenMetricsHistory(cluster, Duration.ofMinutes(5)).writeDaily(history));
        for (long day = START.getEpochSecond(); day < cluster.end().getEpochSecond(); day += DAY) {
            files.add(volumesAndNodes(
                    history.resolve("volumes-" + day + ".om"),
                    day,
                    Math.min(day + DAY, cluster.end().getEpochSecond())));
        }
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(files);
        prometheus.start();
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    /** Claim data (100 GiB) mounted by api-0, api-1 (alpha) and beta-api; scratch (50 GiB) by nobody; one node. */
    static Path volumesAndNodes(Path file, long from, long to) throws Exception {
        Map<String, Double> series = new java.util.LinkedHashMap<>();
        series.put(
                "kube_persistentvolumeclaim_resource_requests_storage_bytes{namespace=\"team-alpha\","
                        + "persistentvolumeclaim=\"data\"}",
                100 * GIB);
        series.put(
                "kube_persistentvolumeclaim_resource_requests_storage_bytes{namespace=\"team-alpha\","
                        + "persistentvolumeclaim=\"scratch\"}",
                50 * GIB);
        for (String pod : List.of("api-0", "api-1", "beta-api")) {
            series.put(
                    "kube_pod_spec_volumes_persistentvolumeclaims_info{namespace=\"team-alpha\",persistentvolumeclaim="
                            + "\"data\",pod=\"" + pod + "\",volume=\"data\"}",
                    1.0);
        }
        series.put("node_total_hourly_cost{node=\"node-1\"}", NODE_HOUR);
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            String family = "";
            for (Map.Entry<String, Double> s : series.entrySet()) {
                String name = s.getKey().substring(0, s.getKey().indexOf('{'));
                if (!name.equals(family)) {
                    out.write("# TYPE " + name + " gauge\n");
                    family = name;
                }
                for (long t = from; t < to; t += 300) {
                    out.write(s.getKey() + " " + String.format(Locale.ROOT, "%.1f", s.getValue()) + " " + t + "\n");
                }
            }
            out.write("# EOF\n");
        }
        return file;
    }

    /** The expected chargeback, hour by hour, as the design describes it. */
    static Map<String, Double> expected() {
        return expected(START, END);
    }

    /** The same arithmetic over [from, to); alpha's direct and shared parts apart under alpha-direct, alpha-shared. */
    static Map<String, Double> expected(Instant from, Instant to) {
        Map<String, Double> out = new HashMap<>();
        for (long h = from.getEpochSecond(); h < to.getEpochSecond(); h += 3600) {
            Instant a = Instant.ofEpochSecond(h);
            Instant b = a.plusSeconds(3600);
            double alpha = cluster.spentBy("alpha", a, b, CPU, MEMORY) + 100 * STORAGE_HOUR * 2 / 3;
            double beta = cluster.spentBy("beta", a, b, CPU, MEMORY) + 100 * STORAGE_HOUR / 3;
            double monitoring = cluster.spentBy("platform", a, b, CPU, MEMORY);
            double loose = 0.25 * CPU + 0.5 * MEMORY; // debug-shell stays below its request
            double compute = alpha + beta - 100 * STORAGE_HOUR + monitoring + loose;
            double idle = Math.max(0, NODE_HOUR - compute);
            out.merge("alpha", alpha + (monitoring + idle) * alpha / (alpha + beta), Double::sum);
            out.merge("alpha-direct", alpha, Double::sum);
            out.merge("alpha-shared", (monitoring + idle) * alpha / (alpha + beta), Double::sum);
            out.merge("beta", beta + (monitoring + idle) * beta / (alpha + beta), Double::sum);
            out.merge("unattributed", loose + 50 * STORAGE_HOUR, Double::sum);
            out.merge("cluster", compute + 150 * STORAGE_HOUR + idle, Double::sum);
        }
        return out;
    }

    @Test
    void theReportMatchesTheArithmeticAndAddsUpToTheClusterTotal() throws Exception {
        Path config = Files.writeString(
                work.resolve("costguard.yaml"),
                "attribution:\n  idle: Share\n  shared:\n"
                        + "    - name: monitoring\n      namespaces: [monitoring]\n      splitBy: tenant\n      driver: Weighted\n");
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        long t0 = System.nanoTime();
        ChildProcess run = ChildProcess.run(
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "report",
                        "--prometheus-url",
                        prometheus.url().toString(),
                        "--config",
                        config.toString(),
                        "--from",
                        START.toString(),
                        "--to",
                        END.toString(),
                        "-o",
                        "json"),
                Duration.ofMinutes(3));
        System.out.printf(Locale.ROOT, "report over 30 days took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(run.exit()).as(run.output()).isZero();
        // stderr is in the output too: the JSON document starts at the first line opening an object
        String output = run.output();
        int json = output.startsWith("{") ? 0 : output.indexOf("\n{") + 1;
        System.out.println(output.substring(0, json));
        JsonNode report = new ObjectMapper().readTree(output.substring(json));
        Map<String, Double> expected = expected();
        Map<String, JsonNode> rows = new HashMap<>();
        report.path("rows").forEach(r -> rows.put(r.path("values").get(0).asText(), r));
        System.out.printf(
                Locale.ROOT,
                "alpha %.4f (expected %.4f), beta %.4f (%.4f), unattributed %.4f (%.4f), "
                        + "cluster %.4f (%.4f), difference %.4f%%%n",
                rows.get("alpha").path("total").asDouble(),
                expected.get("alpha"),
                rows.get("beta").path("total").asDouble(),
                expected.get("beta"),
                report.path("unattributed").asDouble(),
                expected.get("unattributed"),
                report.path("clusterTotal").asDouble(),
                expected.get("cluster"),
                report.path("differencePercent").asDouble());
        assertThat(rows.keySet()).containsExactlyInAnyOrder("alpha", "beta");
        for (String tenant : List.of("alpha", "beta")) {
            assertThat(rows.get(tenant).path("total").asDouble())
                    .as(tenant)
                    .isCloseTo(expected.get(tenant), within(expected.get(tenant) * 0.005));
            assertThat(rows.get(tenant).path("shared").asDouble())
                    .as(tenant + " shared")
                    .isPositive();
            assertThat(rows.get(tenant).path("idle").asDouble())
                    .as(tenant + " idle")
                    .isPositive();
        }
        assertThat(report.path("unattributed").asDouble())
                .isCloseTo(expected.get("unattributed"), within(expected.get("unattributed") * 0.005));
        assertThat(report.path("clusterTotal").asDouble())
                .isCloseTo(expected.get("cluster"), within(expected.get("cluster") * 0.005));
        assertThat(Math.abs(report.path("differencePercent").asDouble())).isLessThanOrEqualTo(0.5);
        assertThat(report.path("total").asDouble())
                .isCloseTo(
                        report.path("clusterTotal").asDouble(),
                        within(report.path("clusterTotal").asDouble() * 0.005));
    }

    static final String ATTRIBUTION = "attribution:\n  idle: Share\n  shared:\n    - name: monitoring\n"
            + "      namespaces: [monitoring]\n      splitBy: tenant\n      driver: Weighted\n";

    /**
     * The operator jar with the same attribution: a DirectAndShared budget over tenant alpha spends exactly what the
     * Direct one spends plus its share of the monitoring namespace and of idle cost, as the test's arithmetic says.
     */
    @Test
    void aDirectAndSharedBudgetMovesByExactlyItsShare() throws Exception {
        Path config = Files.writeString(work.resolve("operator.yaml"), ATTRIBUTION);
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        // the operator's now: an hour after the history's end (the history runs two hours past END)
        Instant now = END.plus(Duration.ofMinutes(90));
        Instant monthStart = ZonedDateTime.ofInstant(now, ZoneOffset.UTC)
                .toLocalDate()
                .withDayOfMonth(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        try (LocalKubernetes kube = new LocalKubernetes().start();
                KubernetesClient client = kube.client()) {
            kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
            kube.installCrds(client, List.of(MonthOfHistory.costBudgetCrd()));
            CostBudget direct = AlphaBudgets.budget("alpha-direct", "1000000.00", false);
            CostBudget all = AlphaBudgets.budget("alpha-all", "1000000.00", false);
            all.getSpec().costs = "DirectAndShared";
            client.resource(direct).create();
            client.resource(all).create();
            Map<String, String> env = new HashMap<>();
            env.put(
                    "COSTGUARD_TEST_CLOCK_OFFSET",
                    "-" + Duration.between(now, Instant.now()).toMillis() + "ms");
            env.put(
                    "KUBECONFIG",
                    kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha")
                            .toString());
            env.put("COSTGUARD_PROMETHEUS_URL", prometheus.url().toString());
            env.put("COSTGUARD_CONFIG_FILE", config.toString());
            env.put("COSTGUARD_EVALUATION_INTERVAL", "2s");
            env.put("COSTGUARD_HTTP_PORT", Integer.toString(OperatorIT.freePort()));
            env.put("POD_NAMESPACE", "costguard-system");
            try (OperatorProcess operator = OperatorProcess.start(jar, env, work.resolve("operator.log"))) {
                CostBudget[] seen = new CostBudget[2];
                await().atMost(Waits.HISTORY_READ)
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            assertThat(operator.alive()).as("operator running").isTrue();
                            seen[0] = client.resources(CostBudget.class)
                                    .inNamespace("team-alpha")
                                    .withName("alpha-direct")
                                    .get();
                            seen[1] = client.resources(CostBudget.class)
                                    .inNamespace("team-alpha")
                                    .withName("alpha-all")
                                    .get();
                            for (CostBudget b : seen) {
                                assertThat(b.getStatus()).isNotNull();
                                assertThat(b.getStatus().spentShared).isNotNull();
                            }
                            assertThat(seen[0].getStatus().dataThrough)
                                    .isNotNull()
                                    .isEqualTo(seen[1].getStatus().dataThrough);
                        });
                Instant through = Instant.parse(seen[1].getStatus().dataThrough);
                Map<String, Double> expected = expected(monthStart.isAfter(START) ? monthStart : START, through);
                System.out.printf(
                        Locale.ROOT,
                        "budgets through %s: Direct spent %s (direct %s, shared %s shown); "
                                + "DirectAndShared spent %s; expected direct %.4f, shared %.4f%n",
                        through,
                        seen[0].getStatus().spent,
                        seen[0].getStatus().spentDirect,
                        seen[0].getStatus().spentShared,
                        seen[1].getStatus().spent,
                        expected.get("alpha-direct"),
                        expected.get("alpha-shared"));
                BigDecimal directSpent = new BigDecimal(seen[0].getStatus().spent);
                BigDecimal allSpent = new BigDecimal(seen[1].getStatus().spent);
                BigDecimal share = new BigDecimal(seen[1].getStatus().spentShared);
                assertThat(directSpent)
                        .isEqualByComparingTo(new BigDecimal(seen[0].getStatus().spentDirect))
                        .isEqualByComparingTo(new BigDecimal(seen[1].getStatus().spentDirect));
                assertThat(allSpent.subtract(directSpent))
                        .as("moves by exactly its share")
                        .isEqualByComparingTo(share);
                assertThat(share)
                        .as("Direct shows the same share without counting it")
                        .isEqualByComparingTo(new BigDecimal(seen[0].getStatus().spentShared));
                assertThat(share.doubleValue())
                        .isPositive()
                        .isCloseTo(expected.get("alpha-shared"), within(expected.get("alpha-shared") * 0.005 + 0.01));
                assertThat(directSpent.doubleValue())
                        .isCloseTo(expected.get("alpha-direct"), within(expected.get("alpha-direct") * 0.005 + 0.01));
            }
        }
    }
}
