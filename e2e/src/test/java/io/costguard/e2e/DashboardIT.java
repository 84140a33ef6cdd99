package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.BenchRun;
import io.costguard.api.CostBudget;
import io.costguard.api.PerfBaseline;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OpenMetricsHistory;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.demo.SyntheticCluster;
import io.costguard.testing.TestTls;
import io.costguard.webhook.CertificateAuthority;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the chart's Grafana dashboard against a real Prometheus that holds generated cost and request
 * history and scrapes the packaged jar's /metrics, with a CostBudget, a PerfBaseline, a finished BenchRun and webhook
 * reviews behind them: each must answer with data, so a renamed metric or label empties a panel and fails here.
 */
class DashboardIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DASHBOARD =
            Path.of(System.getProperty("costguard.repo", "..")).resolve("helm/costguard/dashboards/costguard.json");
    static final String SHOP = "shop";
    static final List<String> CHECKOUT_PODS = List.of("checkout-6d5f7c8b9-x1y2z", "checkout-6d5f7c8b9-q7w8e");

    @TempDir
    static Path work;

    static PrometheusProcess prometheus;
    static LocalKubernetes kube;
    static KubernetesClient client;
    static OperatorProcess operator;
    static long t0;
    static SSLContext webhookTls;
    static int webhookPort;

    @BeforeAll
    static void startEverything() throws Exception {
        Instant now = Instant.now();
        t0 = now.getEpochSecond() / 5 * 5;
        // cost history from four days before the month began (a forecast needs 48 hours) to three hours ahead, and a
        // service with request histograms and usage in namespace shop over the last three hours
        Instant monthStart = ZonedDateTime.ofInstant(now, ZoneOffset.UTC)
                .withDayOfMonth(1)
                .toLocalDate()
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Instant hour = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 3600) * 3600);
        SyntheticCluster cluster =
                SyntheticCluster.small(monthStart.minus(Duration.ofDays(4)), hour.plus(Duration.ofHours(3)), 5);
        Path history = Files.createDirectories(work.resolve("history"));
        List<Path> files = new ArrayList<>(new OpenMetricsHistory(cluster, Duration.ofMinutes(5)).writeDaily(history));
        LongToDoubleFunction cores = t -> 0.4;
        LongToDoubleFunction bytes = t -> 300 * 1024 * 1024;
        files.add(new PerfHistory(
                        SHOP,
                        CHECKOUT_PODS,
                        t0 - 3 * 3600,
                        t0 + 3600,
                        t0 + 7200,
                        new LongToDoubleFunction[] {cores, cores},
                        new LongToDoubleFunction[] {bytes, bytes})
                .write(history.resolve("perf.om")));
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        int metricsPort = OperatorIT.freePort();
        prometheus.scrape(Duration.ofSeconds(1), List.of("127.0.0.1:" + metricsPort));
        prometheus.backfill(files);
        prometheus.start();

        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha", SHOP, "costguard-system"));
        Path repo = Path.of(System.getProperty("costguard.repo", ".."));
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String crd : List.of("costbudgets", "perfbaselines", "benchruns")) {
            crds.add(Serialization.unmarshal(
                    Files.readString(repo.resolve("crds/" + crd + ".costguard.io-v1.yml")),
                    CustomResourceDefinition.class));
        }
        kube.installCrds(client, crds);
        client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .resource(Serialization.unmarshal("""
        apiVersion: costguard.io/v1alpha1
        kind: CostBudget
        metadata: {name: alpha, namespace: team-alpha}
        spec: {scope: {selector: {tenant: alpha}}, amount: "100000.00", currency: USD, period: Monthly}
        """, CostBudget.class))
                .create();
        client.apps()
                .deployments()
                .inNamespace(SHOP)
                .resource(PerfBaselineIT.checkout())
                .create();
        client.resources(PerfBaseline.class)
                .inNamespace(SHOP)
                .resource(Serialization.unmarshal("""
        apiVersion: costguard.io/v1alpha1
        kind: PerfBaseline
        metadata: {name: checkout, namespace: shop}
        spec:
          workload: {kind: Deployment, name: checkout}
          slo: {latencyP95: 800ms, errorRatio: "0.002", maxCostPer1kRequests: "1"}
          baseline: {latencyP95: 488ms, errorRatio: "0.0005", throughput: "200", costPer1kRequests: "0.01"}
        """, PerfBaseline.class))
                .create();
        client.configMaps()
                .inNamespace(SHOP)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("k6-checkout")
                        .endMetadata()
                        .addToData("script.js", Files.readString(repo.resolve("examples/k6/expense.js")))
                        .build())
                .create();
        client.resources(BenchRun.class)
                .inNamespace(SHOP)
                .resource(Serialization.unmarshal("""
        apiVersion: costguard.io/v1alpha1
        kind: BenchRun
        metadata: {name: checkout-bench, namespace: shop}
        spec:
          target: {url: "http://checkout:8080/expense", workload: {kind: Deployment, name: checkout}}
          load: {script: {configMapRef: {name: k6-checkout, key: script.js}}, rate: 100, duration: 30m, warmup: 2m}
          thresholds: {latencyP95: 300ms, maxCostPer1kRequests: "1"}
        """, BenchRun.class))
                .create();

        CertificateAuthority.Issued tls = TestTls.issue();
        Path certs = work.resolve("tls");
        TestTls.write(certs, tls.serving());
        webhookTls = TestTls.trusting(tls.ca().chain());
        webhookPort = OperatorIT.freePort();
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "KUBECONFIG",
                        kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha")
                                .toString(),
                "COSTGUARD_PROMETHEUS_URL", prometheus.url().toString(),
                "COSTGUARD_EVALUATION_INTERVAL", "2s",
                "COSTGUARD_RATE_WINDOW", "10m",
                "COSTGUARD_PERF_WINDOW", "30s",
                "COSTGUARD_BENCH_SETTLE", "0s",
                "COSTGUARD_HTTP_PORT", Integer.toString(metricsPort),
                "POD_NAMESPACE", "costguard-system"));
        env.putAll(Map.of(
                "COSTGUARD_WEBHOOK_ENABLED",
                "true",
                "COSTGUARD_WEBHOOK_PORT",
                Integer.toString(webhookPort),
                "COSTGUARD_WEBHOOK_CERT_DIR",
                certs.toString(),
                "COSTGUARD_AUDIT_INTERVAL",
                "5s"));
        operator = OperatorProcess.start(
                Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar")),
                env,
                work.resolve("operator.log"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        OperatorIT.closeAll(operator, client, kube, prometheus);
    }

    @Test
    void everyPanelQueryAnswersWithTheDemoData() throws Exception {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<Query> queries = queries(dashboard);
        assertThat(queries).hasSizeGreaterThan(20);

        // the objects behind the panels: a budget with a forecast, a measured PerfBaseline, a finished BenchRun
        await().atMost(Waits.STARTED)
                .ignoreExceptions()
                .until(() -> client.resources(CostBudget.class)
                                .inNamespace("team-alpha")
                                .withName("alpha")
                                .get()
                                .getStatus()
                                .forecast
                        != null);
        await().atMost(Waits.CYCLES).until(() -> "Running".equals(benchPhase()));
        BenchRunIT.k6Finished(
                client,
                SHOP,
                "checkout-bench",
                Instant.ofEpochSecond(t0 - 32 * 60),
                Instant.ofEpochSecond(t0 - 2 * 60),
                168_000);
        // reviews: one denied by the label rule, one allowed
        Map<String, String> labels =
                Map.of("tenant", "alpha", "feature", "search", "team", "alpha", "environment", "prod");
        assertThat(AdmissionIT.review(
                                webhookTls,
                                webhookPort,
                                "CREATE",
                                AdmissionIT.deployment("stray", Map.of("tenant", "alpha"), "a:1", null),
                                null)
                        .path("allowed")
                        .asBoolean())
                .isFalse();
        await().atMost(Waits.CYCLES).until(() -> "Passed".equals(benchPhase()));
        assertThat(AdmissionIT.review(
                                webhookTls,
                                webhookPort,
                                "CREATE",
                                AdmissionIT.deployment("api", labels, "a:1", null),
                                null)
                        .path("allowed")
                        .asBoolean())
                .isTrue();

        // until Prometheus has scraped all of it (counters need a second scrape after the reviews for a rate)
        long start = System.nanoTime();
        await().atMost(Waits.RESTARTED).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<String> empty = new ArrayList<>();
            for (Query q : queries) {
                if (!answers(q)) {
                    empty.add(q.toString());
                }
            }
            assertThat(empty).as("panel queries without data").isEmpty();
        });
        System.out.printf(
                "DashboardIT: all %d panel queries answered %d s after the BenchRun passed%n",
                queries.size(), Duration.ofNanos(System.nanoTime() - start).toSeconds());
    }

    @Test
    void theJsonIsOneDashboardOnTheDatasourceVariableWithUniquePanelIds() throws Exception {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("costguard");
        JsonNode datasource = null;
        List<String> variables = new ArrayList<>();
        for (JsonNode v : dashboard.at("/templating/list")) {
            variables.add(v.path("name").asText());
            if ("datasource".equals(v.path("name").asText())) {
                datasource = v;
            }
        }
        assertThat(variables).contains("datasource", "namespace", "budget");
        assertThat(datasource).isNotNull();
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");

        List<Integer> ids = new ArrayList<>();
        int queryPanels = 0;
        for (JsonNode p : dashboard.path("panels")) {
            ids.add(p.path("id").asInt(-1));
            if ("row".equals(p.path("type").asText())) {
                continue;
            }
            queryPanels++;
            assertThat(p.path("title").asText()).isNotBlank();
            assertThat(p.at("/datasource/uid").asText())
                    .as("datasource of panel %s", p.path("title"))
                    .isEqualTo("${datasource}");
            assertThat(p.path("targets"))
                    .as("targets of panel %s", p.path("title"))
                    .isNotEmpty();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.at("/datasource/uid").asText())
                        .as("datasource of a target of %s", p.path("title"))
                        .isEqualTo("${datasource}");
                assertThat(t.path("expr").asText())
                        .as("expr of %s", p.path("title"))
                        .contains("costguard_");
            }
        }
        assertThat(ids).doesNotHaveDuplicates().doesNotContain(-1);
        assertThat(queryPanels).isGreaterThanOrEqualTo(15);
    }

    record Query(String panel, String expr, boolean instant) {
        @Override
        public String toString() {
            return panel + ": " + expr;
        }
    }

    /** Every target of every panel, with the template variables as a user who picked "All" would send them. */
    static List<Query> queries(JsonNode dashboard) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode v : dashboard.at("/templating/list")) {
            String name = v.path("name").asText();
            values.put(
                    name,
                    v.path("includeAll").asBoolean()
                            ? v.path("allValue").asText()
                            : v.at("/current/value").asText());
        }
        // Grafana's own: a rate window of four scrape intervals (1 s here), the range of the last minutes
        values.put("__rate_interval", "10s");
        values.put("__range", "2m");
        values.put("__interval", "5s");
        List<Query> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                for (Map.Entry<String, String> v : values.entrySet()) {
                    expr = expr.replace("${" + v.getKey() + "}", v.getValue()).replace("$" + v.getKey(), v.getValue());
                }
                assertThat(expr)
                        .as("every variable of %s substituted", p.path("title"))
                        .doesNotContain("$");
                out.add(new Query(
                        p.path("title").asText(), expr, t.path("instant").asBoolean()));
            }
        }
        return out;
    }

    /** Whether the query has at least one sample now (instant) or over the last two minutes (range, as a panel asks). */
    static boolean answers(Query q) throws Exception {
        long now = Instant.now().getEpochSecond();
        String path = q.instant()
                ? "/api/v1/query?query=" + encode(q.expr()) + "&time=" + now
                : "/api/v1/query_range?query=" + encode(q.expr()) + "&start=" + (now - 120) + "&end=" + now + "&step=5";
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(prometheus.url() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).as("%s: %s", q, r.body()).isEqualTo("success");
        return body.at("/data/result").size() > 0;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String benchPhase() {
        BenchRun r = client.resources(BenchRun.class)
                .inNamespace(SHOP)
                .withName("checkout-bench")
                .get();
        return r == null || r.getStatus() == null ? null : r.getStatus().phase;
    }
}
