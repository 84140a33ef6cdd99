package io.costguard.benchmark;

import io.costguard.api.BudgetScope;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.budget.CostBudgetReconciler;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostCollector;
import io.costguard.cost.CostQueries;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.demo.LocalKubernetes;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.NamespaceTrust;
import io.costguard.metrics.OperatorMetrics;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.testing.MutableClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One evaluation cycle at scale: 10,000 CostBudgets over 5,000 allocation-key combinations. Measures
 * Prometheus queries, samples read, CPU time of the cycle (collection plus every budget's evaluation),
 * heap and RSS, for the first cycles and the steady state, in one run.
 *
 * <p>Run: {@code scripts/benchmark.sh} (see docs/benchmarks.md).
 */
public final class CycleBenchmark {
    static final int BUDGETS = 10_000;
    static final int COMBOS = 5_000;

    public static void main(String[] args) throws Exception {
        int steadyCycles = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process fake = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        FakePrometheus.class.getName(),
                        Integer.toString(port),
                        Integer.toString(COMBOS))
                .redirectErrorStream(true)
                .start();
        new BufferedReader(new InputStreamReader(fake.getInputStream())).readLine();
        LocalKubernetes kube = new LocalKubernetes().start();
        KubernetesClient client = kube.client();
        try {
            run(port, client, steadyCycles);
        } finally {
            fake.destroy();
            client.close();
            kube.close();
        }
    }

    static void run(int port, KubernetesClient client, int steadyCycles) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T06:10:00Z"));
        OperatorConfig config = ConfigLoader.load(
                Map.of("COSTGUARD_PROMETHEUS_URL", "http://127.0.0.1:" + port, "COSTGUARD_PROMETHEUS_TIMEOUT", "120s"));
        OperatorMetrics metrics = new OperatorMetrics(new PrometheusRegistry());
        PrometheusClient prometheus = new PrometheusClient(config.prometheus(), metrics);
        CostCollector collector = new CostCollector(
                prometheus, new CostQueries(config), new HourlyCostLedger(config.allocationKeys()), clock, config);
        NamespaceTrust trust = new NamespaceTrust(client, config.operatorNamespace());
        CostBudgetReconciler reconciler = io.costguard.budget.BudgetWiring.reconciler(
                config,
                collector,
                trust,
                new EventRecorder(client, "bench"),
                metrics,
                clock,
                new io.costguard.flags.FlagSwitch(client),
                new io.costguard.freeze.FreezeRegistry(),
                client.getKubernetesSerialization());
        List<CostBudget> budgets = budgets();

        System.out.printf(
                Locale.ROOT,
                "%-8s %8s %10s %12s %12s %10s %10s%n",
                "cycle",
                "queries",
                "samples",
                "cpu-ms",
                "wall-ms",
                "evaluated",
                "heap-MiB");
        List<long[]> results = new ArrayList<>();
        for (int cycle = 1; cycle <= 2 + steadyCycles; cycle++) {
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            collector.collect();
            int evaluated = 0;
            for (CostBudget b : budgets) {
                UpdateControl<CostBudget> control = reconciler.reconcile(b, null);
                if (control.getResource().isPresent()) {
                    b.setStatus(control.getResource().get().getStatus());
                }
                if (b.getStatus() != null && b.getStatus().state != null) {
                    evaluated++;
                }
            }
            long cpu = processCpuNanos() - cpu0;
            long wall = System.nanoTime() - wall0;
            CostCollector.CycleStats stats = collector.lastCycle();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(
                    Locale.ROOT,
                    "%-8d %8d %10d %12.1f %12.1f %10d %10.1f%n",
                    cycle,
                    stats.queries(),
                    stats.samples(),
                    cpu / 1e6,
                    wall / 1e6,
                    evaluated,
                    heap / 1048576.0);
            results.add(new long[] {stats.queries(), stats.samples(), cpu, wall});
            clock.advance(Duration.ofMinutes(1));
        }
        System.gc();
        Thread.sleep(200);
        long heapAfterGc =
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
                .reduce((a, b) -> a + ", " + b)
                .orElse("?");
        long firstSamples = results.get(0)[1] + results.get(1)[1];
        long firstCpu = results.get(0)[2] + results.get(1)[2];
        double steadySamples = results.subList(2, results.size()).stream()
                .mapToLong(r -> r[1])
                .average()
                .orElse(0);
        double steadyCpu = results.subList(2, results.size()).stream()
                .mapToLong(r -> r[2])
                .average()
                .orElse(0);
        double steadyQueries = results.subList(2, results.size()).stream()
                .mapToLong(r -> r[0])
                .average()
                .orElse(0);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "budgets %d, allocation-key combinations %d, ledger keys %d%n",
                BUDGETS,
                COMBOS,
                collector.ledger().keyCount());
        System.out.printf(
                Locale.ROOT,
                "first cycles (1+2, history load): %d samples, %.0f ms CPU%n",
                firstSamples,
                firstCpu / 1e6);
        System.out.printf(
                Locale.ROOT,
                "steady state (mean of %d cycles): %.1f queries, %.0f samples, %.0f ms CPU%n",
                steadyCycles,
                steadyQueries,
                steadySamples,
                steadyCpu / 1e6);
        System.out.printf(
                Locale.ROOT,
                "steady/first ratio: samples %.4f, CPU %.4f%n",
                steadySamples / firstSamples,
                steadyCpu / firstCpu);
        System.out.printf(
                Locale.ROOT,
                "heap after GC %.1f MiB (max %.0f MiB); %s%n",
                heapAfterGc / 1048576.0,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / 1048576.0,
                rss);
        trust.close();
    }

    static List<CostBudget> budgets() {
        String[] periods = {
            "Monthly", "Monthly", "Monthly", "Monthly", "Monthly", "Monthly", "Weekly", "Weekly", "Daily", "Quarterly"
        };
        String[] zones = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"};
        List<CostBudget> out = new ArrayList<>();
        for (int i = 0; i < BUDGETS; i++) {
            CostBudget b = new CostBudget();
            int ns = i % 250;
            b.setMetadata(new ObjectMetaBuilder()
                    .withName("budget-" + i)
                    .withNamespace("ns-" + ns)
                    .withGeneration(1L)
                    .build());
            CostBudgetSpec spec = new CostBudgetSpec();
            spec.amount = "1000000.00";
            spec.period = periods[i % periods.length];
            spec.timeZone = zones[(i / 10) % zones.length];
            spec.scope = new BudgetScope();
            int c = (i / 250) % 20;
            spec.scope.selector = switch ((i / 250) % 3) {
                case 0 -> Map.of();
                case 1 -> Map.of("tenant", "t" + (c % 5));
                default -> Map.of("tenant", "t" + (c % 5), "feature", "f" + (c / 5));
            };
            b.setSpec(spec);
            out.add(b);
        }
        return out;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
