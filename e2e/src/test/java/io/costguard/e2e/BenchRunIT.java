package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.costguard.api.BenchRun;
import io.costguard.bench.K6Job;
import io.costguard.bench.RunCost;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostQueries;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.prometheus.PrometheusClient;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BenchRuns through the packaged jar against a real Prometheus holding the target's usage for the run window. The
 * test plays k6's pod (k6 cannot run here): it writes the summary line the entry script would write. Cost per 1000
 * requests is checked against this test's own arithmetic, and `costguard bench report` gates on the verdict.
 */
class BenchRunIT {
    static final String NS = "shop";
    static final String POD_A = "checkout-6d5f7c8b9-x1y2z";
    static final String POD_B = "checkout-6d5f7c8b9-q7w8e";
    /** The k6 pod of a BenchRun named like the Deployment: its name fits the Deployment's pod pattern, its cost is not the target's. */
    static final String K6_POD = "checkout-k6-h4m2p";
    /** The seed's calibration rate, as the CPU price. */
    static final double CPU_CORE_HOUR = 0.17;

    static final double MEMORY_GIB_HOUR = 0.004237;
    static final Duration WARMUP = Duration.ofMinutes(2);

    @TempDir
    static Path work;

    static PrometheusProcess prometheus;
    static LocalKubernetes kube;
    static KubernetesClient client;
    static OperatorProcess operator;
    static Path jar;
    static Path kubeconfig;
    static long t0;

    @BeforeAll
    static void startEverything() throws Exception {
        jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        t0 = Instant.now().getEpochSecond() / 5 * 5;
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(
                List.of(usage(Files.createDirectories(work.resolve("history")).resolve("usage.om"))));
        prometheus.start();

        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of(NS, "costguard-system"));
        Path crds = Path.of(System.getProperty("costguard.repo", "..")).resolve("crds");
        List<CustomResourceDefinition> defs = new ArrayList<>();
        for (String crd : List.of("benchruns.costguard.io-v1.yml", "perfbaselines.costguard.io-v1.yml")) {
            defs.add(Serialization.unmarshal(Files.readString(crds.resolve(crd)), CustomResourceDefinition.class));
        }
        kube.installCrds(client, defs);
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("checkout")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewSelector()
                        .addToMatchLabels("app", "checkout")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "checkout")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("checkout:1")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        String script = Files.readString(
                Path.of(System.getProperty("costguard.repo", "..")).resolve("examples/k6/expense.js"));
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("k6-checkout")
                        .endMetadata()
                        .addToData("script.js", script)
                        .build())
                .create();

        kubeconfig = kube.writeKubeconfig(work.resolve("kubeconfig"), NS);
        operator = OperatorProcess.start(
                jar,
                Map.of(
                        "KUBECONFIG", kubeconfig.toString(),
                        "COSTGUARD_PROMETHEUS_URL", prometheus.url().toString(),
                        "COSTGUARD_PROMETHEUS_TIMEOUT", "5s",
                        "COSTGUARD_EVALUATION_INTERVAL", "2s",
                        "COSTGUARD_COST_SOURCE", "priceSheet",
                        "COSTGUARD_PRICE_CPU_CORE_HOUR", Double.toString(CPU_CORE_HOUR),
                        "COSTGUARD_BENCH_SETTLE", "0s",
                        "COSTGUARD_HTTP_PORT", Integer.toString(OperatorIT.freePort()),
                        "POD_NAMESPACE", "costguard-system"),
                work.resolve("operator.log"));
    }

    /**
     * Three hours of 5-second samples up to now: both pods request 1 core and 1 GiB; pod A uses 0.4 cores, pod B
     * 1.5 (above its request, so it is billed for usage); working sets stay under the memory request. A k6 pod whose
     * name fits the Deployment's pattern requests as much, and must not be counted.
     */
    static Path usage(Path file) throws IOException {
        long from = t0 - 3 * 3600;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("# TYPE container_cpu_usage_seconds_total unknown\n");
            double[] cores = {0.4, 1.5};
            String[] pods = {POD_A, POD_B};
            for (int i = 0; i < 2; i++) {
                for (long t = from; t <= t0; t += 5) {
                    out.write(series("container_cpu_usage_seconds_total", pods[i], "container=\"app\"") + " "
                            + trim(cores[i] * (t - from)) + " " + t + "\n");
                }
            }
            out.write("# TYPE container_memory_working_set_bytes gauge\n");
            for (String pod : pods) {
                for (long t = from; t <= t0; t += 5) {
                    out.write(series("container_memory_working_set_bytes", pod, "container=\"app\"") + " 314572800 " + t
                            + "\n");
                }
            }
            out.write("# TYPE kube_pod_container_resource_requests gauge\n");
            for (String pod : List.of(POD_A, POD_B, K6_POD)) {
                for (String r : List.of(
                        "container=\"app\",resource=\"cpu\",unit=\"core\"",
                        "container=\"app\",resource=\"memory\",unit=\"byte\"")) {
                    double v = r.contains("cpu") ? 1 : 1073741824;
                    for (long t = from; t <= t0; t += 5) {
                        out.write(series("kube_pod_container_resource_requests", pod, r) + " " + trim(v) + " " + t
                                + "\n");
                    }
                }
            }
            out.write("# EOF\n");
        }
        return file;
    }

    static String series(String name, String pod, String labels) {
        return name + "{namespace=\"" + NS + "\",pod=\"" + pod + "\"," + labels + "}";
    }

    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** This test's own arithmetic: per hour, pod A is billed 1 core and 1 GiB, pod B 1.5 cores and 1 GiB. */
    static double expectedCost(Duration measured, double cpuPrice, double memoryPrice) {
        return (2.5 * cpuPrice + 2 * memoryPrice) * measured.toSeconds() / 3600.0;
    }

    @AfterAll
    static void stopEverything() throws Exception {
        OperatorIT.closeAll(operator, client, kube, prometheus);
    }

    static BenchRun create(String name, String thresholds) {
        return client.resources(BenchRun.class)
                .inNamespace(NS)
                .resource(Serialization.unmarshal("""
        apiVersion: costguard.io/v1alpha1
        kind: BenchRun
        metadata: {name: %s, namespace: shop}
        spec:
          target: {url: "http://checkout:8080/expense", workload: {kind: Deployment, name: checkout}}
          load: {script: {configMapRef: {name: k6-checkout, key: script.js}}, rate: 100, duration: 30m, warmup: 2m}
          thresholds: %s
        """.formatted(name, thresholds), BenchRun.class))
                .create();
    }

    static String phase(String name) {
        BenchRun r =
                client.resources(BenchRun.class).inNamespace(NS).withName(name).get();
        return r == null || r.getStatus() == null ? null : r.getStatus().phase;
    }

    /** Plays k6's pod: it ran [start, end] and left the entry script's summary line as its termination message. */
    static void k6Finished(KubernetesClient client, String ns, String run, Instant start, Instant end, long requests) {
        String line = "{\"v\":1,\"start\":" + start.toEpochMilli() + ",\"end\":" + end.toEpochMilli() + ",\"requests\":"
                + requests + ",\"failed\":" + requests / 2000
                + ",\"p50\":80.5,\"p95\":212.4,\"p99\":280,\"dropped\":0,\"k6Thresholds\":[]}";
        var job = client.batch()
                .v1()
                .jobs()
                .inNamespace(ns)
                .withName(K6Job.name(run))
                .get();
        client.pods()
                .inNamespace(ns)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(K6Job.name(run) + "-abcde")
                        .addToLabels(K6Job.COMPONENT_LABEL, K6Job.COMPONENT_VALUE)
                        .addToAnnotations(K6Job.RUN_ANNOTATION, run)
                        .addNewOwnerReference()
                        .withApiVersion("batch/v1")
                        .withKind("Job")
                        .withName(job.getMetadata().getName())
                        .withUid(job.getMetadata().getUid())
                        .withController(true)
                        .endOwnerReference()
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("k6")
                        .withImage("grafana/k6:1.3.0")
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Succeeded")
                        .addNewContainerStatus()
                        .withName("k6")
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(0)
                        .withReason("Completed")
                        .withMessage(line)
                        .endTerminated()
                        .endState()
                        .endContainerStatus()
                        .endStatus()
                        .build())
                .create();
    }

    static ChildProcess report(String run) throws Exception {
        return ChildProcess.run(
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "bench",
                        "report",
                        run,
                        "--kubeconfig",
                        kubeconfig.toString()),
                Duration.ofSeconds(60));
    }

    @Test
    void costPerThousandRequestsIsTheTargetsCostOverTheMeasuredWindow() throws Exception {
        create("checkout-pass", "{latencyP95: 300ms, errorRatio: \"0.002\", maxCostPer1kRequests: \"0.12\"}");
        // the first wait also covers the jar starting up
        await().atMost(Waits.STARTED).until(() -> "Running".equals(phase("checkout-pass")));
        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withName("checkout-pass-k6")
                        .get())
                .isNotNull();
        Instant start = Instant.ofEpochSecond(t0 - 32 * 60);
        Instant end = Instant.ofEpochSecond(t0 - 2 * 60);
        long requests = 168_000;
        k6Finished(client, NS, "checkout-pass", start, end, requests);
        await().atMost(Waits.CYCLES).until(() -> "Passed".equals(phase("checkout-pass")));

        BenchRun r = client.resources(BenchRun.class)
                .inNamespace(NS)
                .withName("checkout-pass")
                .get();
        double cost = expectedCost(Duration.between(start.plus(WARMUP), end), CPU_CORE_HOUR, MEMORY_GIB_HOUR);
        assertThat(Double.parseDouble(r.getStatus().results.costUSD)).isCloseTo(cost, within(cost * 0.002));
        assertThat(Double.parseDouble(r.getStatus().results.costPer1kRequests))
                .isCloseTo(cost / (requests / 1000.0), within(cost / requests * 2));
        assertThat(r.getStatus().results.throughput).isEqualTo("100");
        assertThat(r.getStatus().results.latencyP95).isEqualTo("212ms");
        assertThat(r.getStatus().results.errorRatio).isEqualTo("0.0005");

        ChildProcess cli = report("checkout-pass");
        assertThat(cli.exit()).as(cli.output()).isZero();
        assertThat(cli.output())
                .contains("phase Passed")
                .contains("VERDICT: Pass")
                .contains("cost per 1k requests   " + r.getStatus().results.costPer1kRequests);
    }

    @Test
    void aRunThatCostsTooMuchFailsAndTheReportExitsNonZero() throws Exception {
        create("checkout-dear", "{maxCostPer1kRequests: \"0.0005\"}");
        await().atMost(Waits.STARTED)
                .until(() -> "Running".equals(phase("checkout-dear")) || "Pending".equals(phase("checkout-dear")));
        // one run per target: wait for the other test's run to finish if it holds the target
        await().atMost(Waits.STARTED).until(() -> "Running".equals(phase("checkout-dear")));
        k6Finished(
                client,
                NS,
                "checkout-dear",
                Instant.ofEpochSecond(t0 - 20 * 60),
                Instant.ofEpochSecond(t0 - 10 * 60),
                60_000);
        await().atMost(Waits.CYCLES).until(() -> "Failed".equals(phase("checkout-dear")));
        ChildProcess cli = report("checkout-dear");
        assertThat(cli.exit()).as(cli.output()).isEqualTo(1);
        assertThat(cli.output())
                .contains("VERDICT: Fail")
                .contains("is above spec.thresholds.maxCostPer1kRequests 0.0005");
    }

    /** The seed's calibration: rates 0.085, 0.17 and 0.34 per hour give costs in ratio 1:2:4, through real PromQL. */
    @Test
    void costIsLinearInThePrice() {
        Instant from = Instant.ofEpochSecond(t0 - 40 * 60);
        Instant to = Instant.ofEpochSecond(t0 - 10 * 60);
        double[] costs = new double[3];
        double[] rates = {0.085, 0.17, 0.34};
        for (int i = 0; i < 3; i++) {
            OperatorConfig config = ConfigLoader.load(Map.of(
                    "COSTGUARD_PROMETHEUS_URL",
                    prometheus.url().toString(),
                    "COSTGUARD_COST_SOURCE",
                    "priceSheet",
                    "COSTGUARD_PRICE_CPU_CORE_HOUR",
                    Double.toString(rates[i]),
                    "COSTGUARD_PRICE_MEMORY_GIB_HOUR",
                    "0"));
            RunCost runCost = new RunCost(
                    new PrometheusClient(config.prometheus(), PrometheusClient.QueryObserver.NONE),
                    new CostQueries(config));
            RunCost.Outcome outcome = runCost.cost(NS, "Deployment", "checkout", from, to);
            assertThat(outcome).as("%s", outcome).isInstanceOf(RunCost.Priced.class);
            costs[i] = ((RunCost.Priced) outcome).cost();
            assertThat(costs[i])
                    .isCloseTo(expectedCost(Duration.between(from, to), rates[i], 0), within(costs[i] * 0.002));
        }
        assertThat(costs[1] / costs[0]).isCloseTo(2.0, within(1e-9));
        assertThat(costs[2] / costs[0]).isCloseTo(4.0, within(1e-9));
    }
}
