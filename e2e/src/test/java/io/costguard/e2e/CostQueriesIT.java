package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostQueries;
import io.costguard.demo.PrometheusProcess;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome;
import io.costguard.prometheus.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every cost source's PromQL against a real Prometheus: the price sheet, OpenCost's metrics (for the pods
 * that have them), an application-reported dollar counter and persistent volume claims, on six hours of
 * hand-written samples.
 */
class CostQueriesIT {
    static final double GIB = 1024.0 * 1024 * 1024;
    // six whole hours, two days ago, so that nothing depends on the current time
    static final long START =
            Math.floorDiv(Instant.now().minus(Duration.ofDays(2)).getEpochSecond(), 86400) * 86400;
    static final long END = START + 6 * 3600;
    static final long HOUR_END = START + 4 * 3600;

    @TempDir
    static Path work;

    static PrometheusProcess prometheus;

    @BeforeAll
    static void startPrometheus() throws Exception {
        StringBuilder om = new StringBuilder();
        family(
                om,
                "kube_pod_labels",
                "gauge",
                Map.of(
                        "namespace=\"shop\",pod=\"a\",label_tenant=\"alpha\",label_feature=\"cart\",label_team=\"web\",label_environment=\"prod\"",
                                t -> 1.0,
                        "namespace=\"shop\",pod=\"b\",label_tenant=\"beta\",label_feature=\"cart\",label_team=\"web\",label_environment=\"prod\"",
                                t -> 1.0));
        family(
                om,
                "kube_pod_container_resource_requests",
                "gauge",
                Map.of(
                        "namespace=\"shop\",pod=\"a\",container=\"c\",node=\"n1\",resource=\"cpu\",unit=\"core\"",
                                t -> 1.0,
                        "namespace=\"shop\",pod=\"a\",container=\"c\",node=\"n1\",resource=\"memory\",unit=\"byte\"",
                                t -> 2 * GIB,
                        "namespace=\"shop\",pod=\"b\",container=\"c\",node=\"n1\",resource=\"cpu\",unit=\"core\"",
                                t -> 0.5,
                        "namespace=\"shop\",pod=\"b\",container=\"c\",node=\"n1\",resource=\"memory\",unit=\"byte\"",
                                t -> 1 * GIB));
        // b uses 2 cores against its 0.5 requested: billed for 2; a stays below its request
        family(
                om,
                "container_cpu_usage_seconds_total",
                "unknown",
                Map.of(
                        "namespace=\"shop\",pod=\"a\",container=\"c\"", t -> 0.25 * (t - START),
                        "namespace=\"shop\",pod=\"b\",container=\"c\"", t -> 2.0 * (t - START)));
        family(
                om,
                "container_memory_working_set_bytes",
                "gauge",
                Map.of(
                        "namespace=\"shop\",pod=\"a\",container=\"c\"", t -> 1 * GIB,
                        "namespace=\"shop\",pod=\"b\",container=\"c\"", t -> 0.5 * GIB));
        // OpenCost knows pod a only
        family(
                om,
                "container_cpu_allocation",
                "gauge",
                Map.of("namespace=\"shop\",pod=\"a\",container=\"c\",node=\"n1\"", t -> 2.0));
        family(
                om,
                "container_memory_allocation_bytes",
                "gauge",
                Map.of("namespace=\"shop\",pod=\"a\",container=\"c\",node=\"n1\"", t -> 4 * GIB));
        family(om, "node_cpu_hourly_cost", "gauge", Map.of("node=\"n1\"", t -> 0.05));
        family(om, "node_ram_hourly_cost", "gauge", Map.of("node=\"n1\"", t -> 0.01));
        // an LLM service reporting 0.50 USD an hour for tenant alpha
        family(
                om,
                "cost_per_request_usd_sum",
                "unknown",
                Map.of(
                        "namespace=\"shop\",tenant=\"alpha\",feature=\"llm\",team=\"web\",environment=\"prod\"",
                        t -> 0.5 * (t - START) / 3600.0));
        // claims: data (10 GiB asked, 20 GiB volume pv1 priced by OpenCost) mounted by a and b; logs (5 GiB, class
        // fast)
        // mounted by a; scratch (2 GiB) mounted by nobody
        family(
                om,
                "kube_persistentvolumeclaim_resource_requests_storage_bytes",
                "gauge",
                Map.of(
                        "namespace=\"shop\",persistentvolumeclaim=\"data\"", t -> 10 * GIB,
                        "namespace=\"shop\",persistentvolumeclaim=\"logs\"", t -> 5 * GIB,
                        "namespace=\"shop\",persistentvolumeclaim=\"scratch\"", t -> 2 * GIB));
        family(
                om,
                "kube_persistentvolumeclaim_info",
                "gauge",
                Map.of(
                        "namespace=\"shop\",persistentvolumeclaim=\"data\",storageclass=\"standard\",volumename=\"pv1\"",
                                t -> 1.0,
                        "namespace=\"shop\",persistentvolumeclaim=\"logs\",storageclass=\"fast\",volumename=\"pv2\"",
                                t -> 1.0,
                        "namespace=\"shop\",persistentvolumeclaim=\"scratch\",storageclass=\"standard\",volumename=\"pv3\"",
                                t -> 1.0));
        family(
                om,
                "kube_pod_spec_volumes_persistentvolumeclaims_info",
                "gauge",
                Map.of(
                        "namespace=\"shop\",pod=\"a\",volume=\"v\",persistentvolumeclaim=\"data\"", t -> 1.0,
                        "namespace=\"shop\",pod=\"b\",volume=\"v\",persistentvolumeclaim=\"data\"", t -> 1.0,
                        "namespace=\"shop\",pod=\"a\",volume=\"w\",persistentvolumeclaim=\"logs\"", t -> 1.0));
        family(
                om,
                "kube_persistentvolume_capacity_bytes",
                "gauge",
                Map.of("persistentvolume=\"pv1\"", t -> 20 * GIB, "persistentvolume=\"pv2\"", t -> 5 * GIB));
        family(om, "pv_hourly_cost", "gauge", Map.of("persistentvolume=\"pv1\",volumename=\"pv1\"", t -> 0.0001));
        om.append("# EOF\n");
        Path file = Files.writeString(work.resolve("samples.om"), om);
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(List.of(file));
        prometheus.start();
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void thePriceSheetBillsTheLargerOfRequestAndUsage() {
        Map<String, Double> cost = hourCost("priceSheet");
        assertThat(cost.get("alpha")).isCloseTo(1.0 * 0.031611 + 2 * 0.004237, within(1e-6));
        assertThat(cost.get("beta")).isCloseTo(2.0 * 0.031611 + 1 * 0.004237, within(1e-6));
    }

    @Test
    void openCostPricesOnlyThePodsItKnows() {
        Map<String, Double> cost = hourCost("openCost");
        assertThat(cost.get("alpha")).isCloseTo(2 * 0.05 + 4 * 0.01, within(1e-6));
        assertThat(cost).doesNotContainKey("beta");
    }

    @Test
    void autoUsesOpenCostWhereItCanAndThePriceSheetElsewhere() {
        Map<String, Double> cost = hourCost("auto");
        assertThat(cost.get("alpha")).isCloseTo(2 * 0.05 + 4 * 0.01, within(1e-6));
        assertThat(cost.get("beta")).isCloseTo(2.0 * 0.031611 + 1 * 0.004237, within(1e-6));
    }

    @Test
    void anApplicationCounterInDollarsGivesItsHourlyIncrease() throws IOException {
        Path file = Files.writeString(
                work.resolve("app.yaml"),
                "cost:\n  applicationCosts:\n"
                        + "    - name: llm\n      query: sum by (namespace, tenant, feature, team, environment) (increase(cost_per_request_usd_sum[1h]))\n");
        OperatorConfig config = config("priceSheet", Map.of(ConfigLoader.CONFIG_FILE_ENV, file.toString()));
        CostQueries.SourceQuery app = new CostQueries(config).all().get(2);
        assertThat(app.name()).isEqualTo("app:llm");
        List<Series> series = range(config, app.promql());
        assertThat(series).hasSize(1);
        assertThat(series.get(0).labels()).containsEntry("tenant", "alpha").containsEntry("feature", "llm");
        assertThat(series.get(0).values()[0]).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void claimsAreChargedToThePodsMountingThemAtTheirStorageClassPrice() throws IOException {
        Path file = Files.writeString(work.resolve("storage.yaml"), "pricing:\n  storageClasses:\n    fast: 0.2\n");
        OperatorConfig config = config("priceSheet", Map.of(ConfigLoader.CONFIG_FILE_ENV, file.toString()));
        Map<String, Double> cost = storageCost(config);
        assertThat(cost.get("alpha")).isCloseTo(10 * 0.04 / 730 / 2 + 5 * 0.2 / 730, within(1e-9));
        assertThat(cost.get("beta")).isCloseTo(10 * 0.04 / 730 / 2, within(1e-9));
        assertThat(cost.get(""))
                .as("the unmounted claim, in its namespace's unattributed bucket")
                .isCloseTo(2 * 0.04 / 730, within(1e-9));
    }

    @Test
    void openCostPricesTheVolumesItKnowsByCapacity() {
        Map<String, Double> cost = storageCost(config("auto", Map.of()));
        assertThat(cost.get("alpha")).isCloseTo(20 * 0.0001 / 2 + 5 * 0.04 / 730, within(1e-9));
        assertThat(cost.get("beta")).isCloseTo(20 * 0.0001 / 2, within(1e-9));
        assertThat(cost.get("")).isCloseTo(2 * 0.04 / 730, within(1e-9));
    }

    static Map<String, Double> storageCost(OperatorConfig config) {
        CostQueries.SourceQuery storage = new CostQueries(config).all().get(1);
        assertThat(storage.name()).isEqualTo(CostQueries.STORAGE);
        Map<String, Double> byTenant = new HashMap<>();
        for (Series s : range(config, storage.promql())) {
            assertThat(s.labels()).containsEntry("namespace", "shop");
            byTenant.merge(s.labels().getOrDefault("label_tenant", ""), s.values()[0], Double::sum);
        }
        return byTenant;
    }

    static Map<String, Double> hourCost(String source) {
        OperatorConfig config = config(source, Map.of());
        Map<String, Double> byTenant = new HashMap<>();
        for (Series s : range(config, new CostQueries(config).compute())) {
            assertThat(s.labels()).containsEntry("namespace", "shop");
            byTenant.put(s.labels().get("label_tenant"), s.values()[0]);
        }
        return byTenant;
    }

    static List<Series> range(OperatorConfig config, String promql) {
        QueryOutcome outcome = new PrometheusClient(config.prometheus(), PrometheusClient.QueryObserver.NONE)
                .queryRange(
                        "test",
                        promql,
                        Instant.ofEpochSecond(HOUR_END),
                        Instant.ofEpochSecond(HOUR_END),
                        Duration.ofHours(1));
        assertThat(outcome).as("%s", outcome).isInstanceOf(QueryOutcome.Success.class);
        return ((QueryOutcome.Success) outcome).series();
    }

    static OperatorConfig config(String source, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("COSTGUARD_PROMETHEUS_URL", prometheus.url().toString());
        env.put("COSTGUARD_COST_SOURCE", source);
        env.put("COSTGUARD_RATE_WINDOW", "10m");
        return ConfigLoader.load(env);
    }

    interface Value {
        double at(long t);
    }

    static void family(StringBuilder om, String name, String type, Map<String, Value> series) {
        om.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        series.forEach((labels, value) -> {
            for (long t = START; t <= END; t += 300) {
                om.append(name)
                        .append('{')
                        .append(labels)
                        .append("} ")
                        .append(String.format(Locale.ROOT, "%.6f", value.at(t)))
                        .append(' ')
                        .append(t)
                        .append('\n');
            }
        });
    }
}
