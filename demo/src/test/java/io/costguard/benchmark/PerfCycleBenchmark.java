package io.costguard.benchmark;

import io.costguard.api.PerfBaseline;
import io.costguard.baseline.PerfBaselineReconciler;
import io.costguard.baseline.PerfCollector;
import io.costguard.baseline.PerfMetrics;
import io.costguard.baseline.SignalQueries;
import io.costguard.baseline.WorkloadAccess;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostQueries;
import io.costguard.kube.EventRecorder;
import io.costguard.metrics.OperatorMetrics;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.testing.MutableClock;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 1,000 PerfBaselines (50 namespaces × 20 Deployments, two pods each) evaluated per cycle: Prometheus queries
 * and CPU time of the operator's process per cycle (collection and every reconcile), with the default queries
 * batched by namespace, against a reference in the same run where every PerfBaseline sets its own PromQL
 * templates (the per-workload fan-out). Prometheus and the Kubernetes API are stand-ins in another process, so the process CPU measured is the operator's.
 *
 * <p>Run: {@code scripts/benchmark.sh perf [N]} (see docs/benchmarks.md).
 */
public final class PerfCycleBenchmark {
    static final int NAMESPACES = 50;
    static final int PER_NAMESPACE = 20;
    static final String TEMPLATES = """
      metrics:
        latencyP95: 'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace="$namespace", pod=~"$pods"}[$window])))'
        errorRatio: 'sum(rate(http_server_request_duration_seconds_count{namespace="$namespace", pod=~"$pods", http_response_status_code=~"5.."}[$window])) / sum(rate(http_server_request_duration_seconds_count{namespace="$namespace", pod=~"$pods"}[$window]))'
        throughput: 'sum(rate(http_server_request_duration_seconds_count{namespace="$namespace", pod=~"$pods"}[$window]))'
      """;

    public static void main(String[] args) throws Exception {
        int steadyCycles = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Process fake = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PerfPrometheusMain.class.getName(),
                        Integer.toString(NAMESPACES),
                        Integer.toString(PER_NAMESPACE))
                .redirectErrorStream(true)
                .start();
        String[] urls = new BufferedReader(new InputStreamReader(fake.getInputStream()))
                .readLine()
                .split(" ");
        String url = urls[0];
        KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                        .withMasterUrl(urls[1])
                        .withOauthToken("local")
                        .withNamespace("default")
                        .build())
                .build();
        try {
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %-6s %8s %10s %10s %10s%n",
                    "mode",
                    "cycle",
                    "queries",
                    "cpu-ms",
                    "wall-ms",
                    "healthy");
            double[] batched = run("batched", url, client, "", steadyCycles);
            double[] fanOut = run("fan-out", url, client, TEMPLATES, steadyCycles);
            System.out.println();
            System.out.printf(
                    Locale.ROOT, "PerfBaselines %d in %d namespaces%n", NAMESPACES * PER_NAMESPACE, NAMESPACES);
            System.out.printf(
                    Locale.ROOT,
                    "steady state per cycle: batched %.0f queries, %.0f ms CPU; fan-out %.0f queries, %.0f ms CPU%n",
                    batched[0],
                    batched[1],
                    fanOut[0],
                    fanOut[1]);
            System.out.printf(
                    Locale.ROOT,
                    "ratio batched/fan-out: queries %.3f, CPU %.3f%n",
                    batched[0] / fanOut[0],
                    batched[1] / fanOut[1]);
            String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM"))
                    .findFirst()
                    .orElse("?");
            System.out.printf(
                    Locale.ROOT,
                    "first cycle (usage read for rightsizing, a week per container): batched %.0f queries, %.0f ms CPU; %s%n",
                    batched[2],
                    batched[3],
                    rss);
        } finally {
            fake.destroy();
            client.close();
        }
    }

    static List<String> namespaces() {
        List<String> out = new ArrayList<>();
        for (int n = 0; n < NAMESPACES; n++) {
            out.add("ns-" + n);
        }
        return out;
    }

    /** Returns {steady queries, steady CPU ms, first-cycle queries, first-cycle CPU ms}. */
    static double[] run(String mode, String url, KubernetesClient client, String extraSpec, int steadyCycles)
            throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T06:10:00Z"));
        OperatorConfig config =
                ConfigLoader.load(Map.of("COSTGUARD_PROMETHEUS_URL", url, "COSTGUARD_PROMETHEUS_TIMEOUT", "120s"));
        PrometheusRegistry registry = new PrometheusRegistry();
        OperatorMetrics metrics = new OperatorMetrics(registry);
        PerfCollector collector = new PerfCollector(
                new PrometheusClient(config.prometheus(), metrics),
                new SignalQueries(config.performance(), new CostQueries(config)),
                clock,
                config.performance().rightsizingInterval());
        PerfBaselineReconciler reconciler = io.costguard.baseline.BaselineWiring.reconciler(
                collector,
                new WorkloadAccess(client),
                client,
                new EventRecorder(client, "bench"),
                new PerfMetrics(registry),
                metrics,
                clock,
                config.evaluationInterval());
        List<PerfBaseline> baselines = new ArrayList<>();
        for (int n = 0; n < NAMESPACES; n++) {
            for (int w = 0; w < PER_NAMESPACE; w++) {
                baselines.add(Serialization.unmarshal(
                        "apiVersion: costguard.io/v1alpha1\nkind: PerfBaseline\nmetadata: {name: w" + w
                                + ", namespace: ns-" + n + ", generation: 1}\nspec:\n  workload: {name: w" + w
                                + "}\n  slo: {latencyP95: 300ms}\n"
                                + extraSpec.indent(2),
                        PerfBaseline.class));
            }
        }
        // the controller runs only for its workload caches: the PerfBaselines below are evaluated by direct calls
        io.javaoperatorsdk.operator.Operator operator =
                new io.javaoperatorsdk.operator.Operator(o -> o.withKubernetesClient(client)
                        .withCloseClientOnStop(false)
                        .withStopOnInformerErrorDuringStartup(false));
        operator.register(reconciler);
        operator.start();
        try {
            return cycles(mode, collector, reconciler, baselines, clock, steadyCycles);
        } finally {
            operator.stop();
        }
    }

    private static double[] cycles(
            String mode,
            PerfCollector collector,
            PerfBaselineReconciler reconciler,
            List<PerfBaseline> baselines,
            MutableClock clock,
            int steadyCycles) {
        baselines.forEach(b -> reconciler.reconcile(b, null)); // registers every target with the collector
        double steadyQueries = 0;
        double steadyCpu = 0;
        double[] first = new double[2];
        for (int cycle = 1; cycle <= 1 + steadyCycles; cycle++) {
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            PerfCollector.CycleStats stats = collector.collect();
            int healthy = 0;
            for (PerfBaseline b : baselines) {
                UpdateControl<PerfBaseline> control = reconciler.reconcile(b, null);
                if (control.getResource().isPresent()) {
                    b.setStatus(control.getResource().get().getStatus());
                }
                healthy += "Healthy".equals(b.getStatus().state) ? 1 : 0;
            }
            double cpu = (processCpuNanos() - cpu0) / 1e6;
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %-6d %8d %10.0f %10.0f %10d%n",
                    mode,
                    cycle,
                    stats.queries(),
                    cpu,
                    (System.nanoTime() - wall0) / 1e6,
                    healthy);
            if (cycle == 1) {
                first = new double[] {stats.queries(), cpu};
            } else {
                steadyQueries += stats.queries();
                steadyCpu += cpu;
            }
            clock.advance(Duration.ofMinutes(1));
        }
        return new double[] {steadyQueries / steadyCycles, steadyCpu / steadyCycles, first[0], first[1]};
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
