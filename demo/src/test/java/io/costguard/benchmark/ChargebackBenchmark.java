package io.costguard.benchmark;

import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.ChargebackReport;
import io.costguard.cost.CostCollector;
import io.costguard.cost.CostQueries;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.cost.Scope;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.testing.MutableClock;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Shared and idle cost at scale, in one run against the stand-in Prometheus of {@link CycleBenchmark} (5,000
 * allocation-key combinations, one node cost series): {@code costguard report}'s work for a month (read, allocate,
 * tabulate), and the steady-state cycle (collect plus 10,000 budget spends) without shared allocation next to one
 * with two shared entries and idle shared.
 *
 * <p>Run: {@code scripts/benchmark.sh chargeback [CYCLES]} (see docs/benchmarks.md).
 */
public final class ChargebackBenchmark {
    static final int COMBOS = 5_000;
    static final int BUDGETS = 10_000;
    static final String SHARED = "attribution:\n  idle: Share\n  shared:\n"
            + "    - name: platform\n      namespaces: [ns-0, ns-1, ns-2, ns-3, ns-4]\n"
            + "    - name: tenant-t4\n      selector: {tenant: t4}\n      splitBy: team\n      driver: Even\n";

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Thread server = new Thread(() -> {
            try {
                FakePrometheus.main(new String[] {Integer.toString(port), Integer.toString(COMBOS)});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.setDaemon(true);
        server.start();
        Thread.sleep(500);
        Path file = Files.createTempFile("costguard-bench", ".yaml");
        Files.writeString(file, SHARED);
        OperatorConfig plain = config(port, Map.of("COSTGUARD_ATTRIBUTION_IDLE", "Hide"));
        OperatorConfig shared = config(port, Map.of(ConfigLoader.CONFIG_FILE_ENV, file.toString()));
        report(shared);
        System.out.println();
        cycles(plain, shared, cycles);
        System.exit(0);
    }

    static OperatorConfig config(int port, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("COSTGUARD_PROMETHEUS_URL", "http://127.0.0.1:" + port);
        env.put("COSTGUARD_PROMETHEUS_TIMEOUT", "120s");
        return ConfigLoader.load(env);
    }

    /** What costguard report does for November 2026, three times (the first warms the JVM). */
    static void report(OperatorConfig config) {
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        Instant to = Instant.parse("2026-12-01T00:00:00Z");
        for (int run = 1; run <= 3; run++) {
            long wall0 = System.nanoTime();
            long cpu0 = CycleBenchmark.processCpuNanos();
            HourlyCostLedger ledger = new HourlyCostLedger(config.allocationKeys());
            CostCollector collector = new CostCollector(
                    client(config), new CostQueries(config), ledger, Clock.fixed(to, ZoneOffset.UTC), config);
            collector.demand("report", from);
            collector.collect();
            long read = System.nanoTime() - wall0;
            long fromHour = from.getEpochSecond() / 3600;
            long toHour = to.getEpochSecond() / 3600;
            double[] nodes = collector
                    .auxiliary(CostQueries.NODES)
                    .orElseThrow()
                    .sourceHourly(CostQueries.NODES, fromHour, toHour);
            ChargebackReport r = ChargebackReport.of(
                    ledger,
                    collector.allocation().snapshot(),
                    List.of("tenant", "team"),
                    from,
                    to,
                    ChargebackReport.idleTotal(nodes, ledger.sourceHourly(CostQueries.COMPUTE, fromHour, toHour)));
            long wall = System.nanoTime() - wall0;
            System.out.printf(
                    Locale.ROOT,
                    "report run %d: %d hours x %d combinations: %d queries, %.0f ms wall (read and "
                            + "allocate %.0f ms, of which allocation %.0f ms; table %.0f ms), %.0f ms CPU, %d rows, difference "
                            + "%.6f%%%n",
                    run,
                    toHour - fromHour,
                    ledger.keyCount(),
                    collector.lastCycle().queries(),
                    wall / 1e6,
                    read / 1e6,
                    collector.lastAllocationTime().toNanos() / 1e6,
                    (wall - read) / 1e6,
                    (CycleBenchmark.processCpuNanos() - cpu0) / 1e6,
                    r.rows().size(),
                    r.differencePercent());
        }
    }

    /** Steady-state cycles of both configurations, interleaved so that both see the same machine. */
    static void cycles(OperatorConfig plain, OperatorConfig shared, int cycles) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T06:10:00Z"));
        CostCollector a = new CostCollector(
                client(plain), new CostQueries(plain), new HourlyCostLedger(plain.allocationKeys()), clock, plain);
        CostCollector b = new CostCollector(
                client(shared), new CostQueries(shared), new HourlyCostLedger(shared.allocationKeys()), clock, shared);
        List<Scope> scopes = scopes();
        Instant monthStart = Instant.parse("2026-11-01T00:00:00Z");
        a.demand("bench", monthStart);
        b.demand("bench", monthStart);
        a.collect();
        b.collect();
        double[] cpu = new double[2];
        double[] wall = new double[2];
        double[] allocation = new double[2];
        System.out.printf(
                Locale.ROOT,
                "%-6s %-8s %8s %12s %12s %14s%n",
                "cycle",
                "mode",
                "queries",
                "cpu-ms",
                "wall-ms",
                "allocation-ms");
        for (int cycle = 1; cycle <= cycles; cycle++) {
            clock.advance(Duration.ofMinutes(1));
            for (int m = 0; m < 2; m++) {
                CostCollector c = m == 0 ? a : b;
                long cpu0 = CycleBenchmark.processCpuNanos();
                long wall0 = System.nanoTime();
                c.collect();
                Instant through = c.status().dataThrough().orElseThrow();
                double sum = 0;
                for (Scope s : scopes) {
                    sum += m == 0
                            ? c.ledger().spend(s, monthStart, through)
                            : c.allocation()
                                    .spend(c.ledger(), s, monthStart, through)
                                    .direct();
                }
                double cpuMs = (CycleBenchmark.processCpuNanos() - cpu0) / 1e6;
                double wallMs = (System.nanoTime() - wall0) / 1e6;
                cpu[m] += cpuMs;
                wall[m] += wallMs;
                allocation[m] += c.lastAllocationTime().toNanos() / 1e6;
                System.out.printf(
                        Locale.ROOT,
                        "%-6d %-8s %8d %12.1f %12.1f %14.1f%s%n",
                        cycle,
                        m == 0 ? "direct" : "shared",
                        c.lastCycle().queries(),
                        cpuMs,
                        wallMs,
                        c.lastAllocationTime().toNanos() / 1e6,
                        sum < 0 ? "!" : "");
            }
        }
        System.out.printf(
                Locale.ROOT, "%nsteady state, mean of %d cycles (collect + %d budget spends):%n", cycles, BUDGETS);
        System.out.printf(
                Locale.ROOT,
                "  without shared allocation: %.1f ms CPU, %.1f ms wall%n",
                cpu[0] / cycles,
                wall[0] / cycles);
        System.out.printf(
                Locale.ROOT,
                "  with shared allocation:    %.1f ms CPU, %.1f ms wall (allocation %.1f ms)%n",
                cpu[1] / cycles,
                wall[1] / cycles,
                allocation[1] / cycles);
        System.out.printf(
                Locale.ROOT,
                "  heap %.0f MiB used%n",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
    }

    /** 10,000 budget scopes like CycleBenchmark's: a namespace each, with or without a tenant selector. */
    static List<Scope> scopes() {
        List<Scope> out = new ArrayList<>();
        for (int i = 0; i < BUDGETS; i++) {
            String ns = "ns-" + (i % 250);
            out.add(
                    i % 2 == 0
                            ? new Scope(Set.of(ns), Map.of())
                            : new Scope(Set.of(ns), Map.of("tenant", "t" + (i % 5))));
        }
        return out;
    }

    static PrometheusClient client(OperatorConfig config) {
        return new PrometheusClient(config.prometheus(), PrometheusClient.QueryObserver.NONE);
    }
}
