package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.costguard.api.PerfBaseline;
import io.costguard.baseline.PerfCollector;
import io.costguard.baseline.PerfPlan;
import io.costguard.baseline.PerfSpecValidator;
import io.costguard.baseline.SignalQueries;
import io.costguard.baseline.Signals;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostQueries;
import io.costguard.demo.PrometheusProcess;
import io.costguard.prometheus.PrometheusClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PerfBaseline signal queries against a real Prometheus: several namespaces read by one query per signal
 * ({@code namespace=~"a|b"}, split by the namespace label) give each workload the signals a query per namespace
 * gives, also where two namespaces hold pods of the same name; Prometheus sums the pods by the workload their names
 * belong to (a Deployment's and a StatefulSet's side by side).
 */
class PerfQueriesIT {
    static final List<String> NAMESPACES = List.of("shop", "shop-eu", "tools");
    /** Two pods of the Deployment checkout and one of the StatefulSet ledger, summed by workload in Prometheus. */
    static final List<String> PODS = List.of("checkout-6d5f7c8b9-aaaaa", "checkout-6d5f7c8b9-bbbbb", "ledger-0");

    @TempDir
    static Path work;

    static PrometheusProcess prometheus;
    static Instant at;

    @BeforeAll
    static void startPrometheus() throws Exception {
        long t0 = Instant.now().minus(Duration.ofHours(2)).getEpochSecond() / 5 * 5;
        at = Instant.ofEpochSecond(t0 + 3000);
        List<Path> files = new ArrayList<>();
        for (int n = 0; n < NAMESPACES.size(); n++) {
            // the latency step comes 10 minutes before the evaluation in shop-eu only, so its p95 differs from shop's
            long step = NAMESPACES.get(n).equals("shop-eu") ? at.getEpochSecond() - 600 : t0 + 7200;
            LongToDoubleFunction cpu = t -> 0.4;
            LongToDoubleFunction mem = t -> 300.0 * 1024 * 1024;
            files.add(new PerfHistory(
                            NAMESPACES.get(n),
                            PODS,
                            t0,
                            t0 + 3600,
                            step,
                            new LongToDoubleFunction[] {cpu, cpu, cpu},
                            new LongToDoubleFunction[] {mem, mem, mem})
                    .write(work.resolve(NAMESPACES.get(n) + ".om")));
        }
        prometheus = new PrometheusProcess(Files.createDirectories(work.resolve("prometheus")), Duration.ofMinutes(10));
        prometheus.backfill(files);
        prometheus.start();
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void severalNamespacesInOneQueryPerSignalGiveEachWorkloadItsOwnSignals() {
        PerfCollector batched = collector(10);
        PerfCollector alone = collector(1);
        for (PerfCollector c : List.of(batched, alone)) {
            for (String ns : NAMESPACES) {
                c.demand(new PerfCollector.Target(ns, "checkout", plan("Deployment", "checkout")));
                c.demand(new PerfCollector.Target(ns, "ledger", plan("StatefulSet", "ledger")));
            }
        }
        assertThat(batched.collect().queries()).isEqualTo(3);
        assertThat(alone.collect().queries()).isEqualTo(3 * NAMESPACES.size());
        for (String ns : NAMESPACES) {
            Signals one = alone.signals(ns + "/checkout");
            Signals together = batched.signals(ns + "/checkout");
            assertThat(one.usable()).as("%s: %s", ns, one.unavailable()).isTrue();
            assertThat(together).usingRecursiveComparison().isEqualTo(one);
            // two pods of 100 requests/s each; each pod costs 1 core and 1 GiB at the default prices
            assertThat(together.throughput()).isCloseTo(2.0 * PerfHistory.RPS, within(1e-6));
            assertThat(together.costPerHour()).isPositive();
            Signals ledger = batched.signals(ns + "/ledger");
            assertThat(ledger).usingRecursiveComparison().isEqualTo(alone.signals(ns + "/ledger"));
            // one pod: half the Deployment's requests and cost, none of them counted twice
            assertThat(ledger.throughput()).isCloseTo(PerfHistory.RPS, within(1e-6));
            assertThat(ledger.costPerHour()).isCloseTo(together.costPerHour() / 2, within(1e-9));
        }
        assertThat(batched.signals("shop-eu/checkout").latencyP95()).isCloseTo(0.585, within(1e-3));
        assertThat(batched.signals("shop/checkout").latencyP95()).isCloseTo(0.4875, within(1e-3));
    }

    static PerfCollector collector(int namespacesPerQuery) {
        OperatorConfig config = ConfigLoader.load(Map.of(
                "COSTGUARD_PROMETHEUS_URL", prometheus.url().toString(),
                "COSTGUARD_COST_SOURCE", "priceSheet",
                "COSTGUARD_PERF_WINDOW", "1m"));
        return new PerfCollector(
                new PrometheusClient(config.prometheus(), PrometheusClient.QueryObserver.NONE),
                new SignalQueries(config.performance(), new CostQueries(config)),
                Clock.fixed(at, ZoneOffset.UTC),
                Duration.ofHours(1),
                Runnable::run,
                namespacesPerQuery);
    }

    static PerfPlan plan(String kind, String workload) {
        PerfBaseline pb =
                new KubernetesSerialization().unmarshal("""
                apiVersion: costguard.io/v1alpha1
                kind: PerfBaseline
                metadata: {name: %s, namespace: shop}
                spec:
                  workload: {kind: %s, name: %s}
                  slo: {latencyP95: 800ms}
                  rightsizing: {mode: "Off"}
                """.formatted(workload, kind, workload), PerfBaseline.class);
        PerfSpecValidator.Result r = new PerfSpecValidator().validate(pb.getSpec());
        assertThat(r.valid()).as("%s", r.problems()).isTrue();
        return r.plan();
    }
}
