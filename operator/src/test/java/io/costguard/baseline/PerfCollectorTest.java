package io.costguard.baseline;

import static io.costguard.baseline.PerfFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.costguard.api.ConditionReason;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostQueries;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.rightsizing.Rightsizer;
import io.costguard.rightsizing.Usage;
import io.costguard.testing.ScriptedPrometheus;
import io.costguard.testing.ScriptedPrometheus.Sample;
import io.costguard.testing.TestConfigs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PerfCollectorTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final double[] LE = {0.05, 0.1, 0.25, 0.5, 1, Double.POSITIVE_INFINITY};

    ScriptedPrometheus prom;
    PerfCollector collector;

    @BeforeEach
    void start() throws Exception {
        prom = new ScriptedPrometheus();
        collector = collectorOf(prom, Runnable::run);
    }

    /** A collector reading {@code from} at {@link #NOW}, its namespaces on {@code reads}. */
    static PerfCollector collectorOf(ScriptedPrometheus from, java.util.concurrent.Executor reads) {
        return collectorOf(from, reads, PerfCollector.NAMESPACES_PER_QUERY);
    }

    /** As above, reading {@code namespacesPerQuery} namespaces per query. */
    static PerfCollector collectorOf(
            ScriptedPrometheus from, java.util.concurrent.Executor reads, int namespacesPerQuery) {
        OperatorConfig config = TestConfigs.operator(from.url(), "60s", Map.of());
        return new PerfCollector(
                new PrometheusClient(config.prometheus(), PrometheusClient.QueryObserver.NONE),
                new SignalQueries(config.performance(), new CostQueries(config)),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofHours(1),
                reads,
                namespacesPerQuery);
    }

    @AfterEach
    void stop() {
        prom.close();
    }

    /** Cumulative bucket rates of one pod: {@code perBucket[i]} observations/s fall in bucket i. */
    static List<Sample> buckets(String pod, double... perBucket) {
        List<Sample> out = new ArrayList<>();
        double running = 0;
        for (int i = 0; i < LE.length; i++) {
            running += perBucket[i];
            out.add(new Sample(
                    Map.of("pod", pod, "le", Double.isInfinite(LE[i]) ? "+Inf" : Double.toString(LE[i])), running));
        }
        return out;
    }

    static Sample requests(String pod, String code, double rps) {
        return new Sample(Map.of("pod", pod, "http_response_status_code", code), rps);
    }

    void twoNamespaces() {
        prom.steady("_bucket{namespace=\"team-a\"}", () -> {
            List<Sample> s = new ArrayList<>();
            // api: two pods; api-v2 (another Deployment whose name starts the same) must not leak into api
            s.addAll(buckets("api-7d9f8c6b5-abcde", 0, 10, 30, 10, 0, 0));
            s.addAll(buckets("api-7d9f8c6b5-fghij", 0, 10, 30, 10, 0, 0));
            s.addAll(buckets("api-v2-5f6d7c8b9-zzzzz", 0, 0, 0, 0, 0, 100));
            s.addAll(buckets("db-0", 50, 0, 0, 0, 0, 0));
            return s;
        });
        prom.instant(
                "_count{namespace=\"team-a\"}",
                () -> List.of(
                        requests("api-7d9f8c6b5-abcde", "200", 49),
                        requests("api-7d9f8c6b5-abcde", "503", 1),
                        requests("api-7d9f8c6b5-fghij", "200", 50),
                        requests("api-v2-5f6d7c8b9-zzzzz", "500", 100),
                        requests("db-0", "200", 50)));
        prom.instant(
                "kube_pod_container_resource_requests{namespace=\"team-a\"",
                () -> List.of(
                        new Sample(Map.of("namespace", "team-a", "pod", "api-7d9f8c6b5-abcde"), 0.18),
                        new Sample(Map.of("namespace", "team-a", "pod", "api-7d9f8c6b5-fghij"), 0.18),
                        new Sample(Map.of("namespace", "team-a", "pod", "db-0"), 1.0)));
        prom.steady("_bucket{namespace=\"team-b\"}", () -> buckets("web-6c7d8e9f0-aaaaa", 100, 0, 0, 0, 0, 0));
        prom.instant("_count{namespace=\"team-b\"}", () -> List.of(requests("web-6c7d8e9f0-aaaaa", "200", 0)));
        collector.demand(new PerfCollector.Target("team-a", "api", plan("workload: {name: api}")));
        collector.demand(new PerfCollector.Target(
                "team-a", "db", plan("workload: {kind: StatefulSet, name: db}\nrightsizing: {mode: \"Off\"}")));
        collector.demand(
                new PerfCollector.Target("team-b", "web", plan("workload: {name: web}\nrightsizing: {mode: \"Off\"}")));
    }

    @Test
    void oneQueryPerSignalServesEveryWorkloadOfSeveralNamespaces() {
        twoNamespaces();
        var first = collector.collect();
        // both namespaces in one query per signal (buckets, requests, pod cost); team-a also reads usage once (CPU
        // percentile, steps and first step, memory peak, OOMKills)
        assertThat(first.queries()).isEqualTo(3 + 5);
        prom.resetLog();
        var second = collector.collect();
        assertThat(second.queries()).isEqualTo(3);
        assertThat(prom.queries()).allSatisfy(q -> assertThat(q).contains("namespace=~\"team-a|team-b\""));
        // summed by workload in Prometheus: a series per workload and bound, not per pod
        assertThat(prom.queries().get(0))
                .startsWith(
                        "sum by (namespace, costguard_deployment, costguard_statefulset, le) (label_replace("
                                + "label_replace(sum by (namespace, pod, le) (rate(http_server_request_duration_seconds_bucket");
        // a hundred more workloads in team-a cost no more queries
        for (int i = 0; i < 100; i++) {
            collector.demand(new PerfCollector.Target(
                    "team-a", "w" + i, plan("workload: {name: w" + i + "}\nrightsizing: {mode: \"Off\"}")));
        }
        assertThat(collector.collect().queries()).isEqualTo(3);
        // one namespace per query, as before there was a choice: the same signals from a query per namespace each
        PerfCollector alone = collectorOf(prom, Runnable::run, 1);
        for (String id : List.of("team-a/api", "team-a/db", "team-b/web")) {
            String[] nsName = id.split("/");
            alone.demand(new PerfCollector.Target(nsName[0], nsName[1], collectorPlan(id)));
        }
        prom.resetLog();
        alone.collect();
        assertThat(prom.queries().stream()
                        .filter(q -> !q.matches("^\\(*((sum|max) by \\(pod, container\\)|[a-z_]+_over_time\\().*"))
                        .toList())
                .hasSize(6)
                .allSatisfy(q -> assertThat(q).containsAnyOf("namespace=\"team-a\"", "namespace=\"team-b\""));
        for (String id : List.of("team-a/api", "team-a/db", "team-b/web")) {
            assertThat(alone.signals(id)).usingRecursiveComparison().isEqualTo(collector.signals(id));
        }
    }

    private PerfPlan collectorPlan(String id) {
        return switch (id) {
            case "team-a/api" -> plan("workload: {name: api}");
            case "team-a/db" -> plan("workload: {kind: StatefulSet, name: db}\nrightsizing: {mode: \"Off\"}");
            default -> plan("workload: {name: web}\nrightsizing: {mode: \"Off\"}");
        };
    }

    @Test
    void namespacesAreReadAtOnceOnTheGivenExecutorWithTheSameSignalsAsOneAtATime() throws Exception {
        try (ScriptedPrometheus concurrent = new ScriptedPrometheus(8)) {
            java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
            for (ScriptedPrometheus p : List.of(prom, concurrent)) {
                for (int n = 0; n < 8; n++) {
                    String ns = "ns-" + n;
                    double rate = 10 + n;
                    p.steady("_bucket{namespace=\"" + ns + "\"}", () -> {
                        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(30);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            inFlight.decrementAndGet();
                        }
                        return buckets("web-6c7d8e9f0-aaaaa", 0, rate, 1, 0, 0, 0);
                    });
                    p.instant(
                            "_count{namespace=\"" + ns + "\"}",
                            () -> List.of(
                                    requests("web-6c7d8e9f0-aaaaa", "200", rate),
                                    requests("web-6c7d8e9f0-aaaaa", "503", 1)));
                }
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                // a query per namespace, so that there are several reads to run at once
                PerfCollector oneAtATime = collectorOf(prom, Runnable::run, 1);
                PerfCollector atOnce = collectorOf(concurrent, pool, 1);
                for (PerfCollector c : List.of(oneAtATime, atOnce)) {
                    for (int n = 0; n < 8; n++) {
                        c.demand(new PerfCollector.Target(
                                "ns-" + n, "web", plan("workload: {name: web}\nrightsizing: {mode: \"Off\"}")));
                    }
                }
                assertThat(oneAtATime.collect().queries()).isEqualTo(8 * 3);
                assertThat(most.get()).isEqualTo(1);
                most.set(0);
                assertThat(atOnce.collect().queries()).isEqualTo(8 * 3);
                assertThat(most.get()).isGreaterThan(1).isLessThanOrEqualTo(4);
                for (int n = 0; n < 8; n++) {
                    Signals one = oneAtATime.signals("ns-" + n + "/web");
                    Signals other = atOnce.signals("ns-" + n + "/web");
                    assertThat(other.usable()).isTrue();
                    assertThat(other.latencyP95()).isEqualTo(one.latencyP95());
                    assertThat(other.errorRatio()).isEqualTo(one.errorRatio()).isEqualTo(1.0 / (11 + n));
                    assertThat(other.throughput()).isEqualTo(one.throughput());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void namespacesAreBatchedByWhatTheyReadAndAFailedBatchLeavesOnlyItsOwnNamespacesUnknown() {
        // 25 namespaces, the same pod name in each with its own rates (a namespace's series must not leak into
        // another's); ns-24 judges latency by a template, so its default reads differ and it is read apart
        for (int n = 0; n < 25; n++) {
            String ns = "ns-" + n;
            double rate = 10 + n;
            prom.steady("_bucket{namespace=\"" + ns + "\"}", () -> buckets("web-6c7d8e9f0-aaaaa", 0, rate, 1, 0, 0, 0));
            prom.instant(
                    "_count{namespace=\"" + ns + "\"}",
                    () -> List.of(
                            requests("web-6c7d8e9f0-aaaaa", "200", rate), requests("web-6c7d8e9f0-aaaaa", "503", 1)));
        }
        prom.steady("my_latency", () -> List.of(new Sample(Map.of(), 0.2)));
        PerfCollector batched = collectorOf(prom, Runnable::run, 10);
        PerfCollector alone = collectorOf(prom, Runnable::run, 1);
        for (PerfCollector c : List.of(batched, alone)) {
            for (int n = 0; n < 24; n++) {
                c.demand(new PerfCollector.Target(
                        "ns-" + n, "web", plan("workload: {name: web}\nrightsizing: {mode: \"Off\"}")));
            }
            c.demand(new PerfCollector.Target(
                    "ns-24",
                    "web",
                    plan("workload: {name: web}\nrightsizing: {mode: \"Off\"}\n"
                            + "metrics: {latencyP95: 'max(my_latency{namespace=\"$namespace\"})'}")));
        }
        prom.resetLog();
        // in name order (ns-0, ns-1, ns-10, ..., ns-19, ns-2, ns-20, ...) ten at a time with 3 queries each, ns-24
        // apart: requests, cost, its template
        assertThat(batched.collect().queries()).isEqualTo(3 * 3 + 3);
        assertThat(prom.queries().stream().filter(q -> q.contains("_bucket{")).toList())
                .hasSize(3)
                .noneMatch(q -> q.contains("ns-24"));
        alone.collect();
        for (int n = 0; n < 25; n++) {
            Signals one = alone.signals("ns-" + n + "/web");
            assertThat(one.usable()).isTrue();
            assertThat(batched.signals("ns-" + n + "/web"))
                    .usingRecursiveComparison()
                    .isEqualTo(one);
            assertThat(one.errorRatio()).isEqualTo(1.0 / (11 + n));
        }
        // the batch holding ns-13 (ns-0, ns-1, ns-10 ... ns-17) fails: its ten namespaces are Unknown, the others are
        // read
        prom.reject("_bucket{namespace=\"ns-13\"}", "parse error");
        batched.collect();
        List<String> failed = new ArrayList<>();
        for (int n = 0; n < 25; n++) {
            if (!batched.signals("ns-" + n + "/web").usable()) {
                failed.add("ns-" + n);
            }
        }
        assertThat(failed)
                .containsExactlyInAnyOrder(
                        "ns-0", "ns-1", "ns-10", "ns-11", "ns-12", "ns-13", "ns-14", "ns-15", "ns-16", "ns-17");
        assertThat(batched.signals("ns-13/web").unavailable()).contains("parse error");
    }

    @Test
    void aBatchClosesBeforeItHoldsMoreThanTwoHundredPerfBaselines() {
        for (String ns : List.of("big", "large", "small")) {
            int count = ns.equals("small") ? 1 : 150;
            for (int i = 0; i < count; i++) {
                collector.demand(new PerfCollector.Target(
                        ns, "w" + i, plan("workload: {name: w" + i + "}\nrightsizing: {mode: \"Off\"}")));
            }
        }
        collector.collect();
        assertThat(prom.queries().stream().filter(q -> q.contains("_bucket{")).toList())
                .containsExactly(
                        signalQueries().latencyBuckets(List.of("big")),
                        signalQueries().latencyBuckets(List.of("large", "small")));
    }

    private SignalQueries signalQueries() {
        OperatorConfig config = TestConfigs.operator(prom.url(), "60s", Map.of());
        return new SignalQueries(config.performance(), new CostQueries(config));
    }

    @Test
    void aCycleStoppedWhileReadsAreQueuedReturnsInsteadOfWaitingForever() throws Exception {
        try (ScriptedPrometheus slow = new ScriptedPrometheus(4)) {
            for (int n = 0; n < 4; n++) {
                slow.steady("_bucket{namespace=\"ns-" + n + "\"}", () -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return buckets("web-6c7d8e9f0-aaaaa", 0, 10, 1, 0, 0, 0);
                });
            }
            java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
            // one namespace per batch, so three of the four reads are still queued on the single reader
            PerfCollector stopping = collectorOf(slow, one, 1);
            for (int n = 0; n < 4; n++) {
                stopping.demand(new PerfCollector.Target(
                        "ns-" + n, "web", plan("workload: {name: web}\nrightsizing: {mode: \"Off\"}")));
            }
            java.util.concurrent.atomic.AtomicBoolean told = new java.util.concurrent.atomic.AtomicBoolean();
            stopping.onCycle(s -> told.set(true));
            Thread cycle = new Thread(stopping::collect, "cycle");
            cycle.start();
            Thread.sleep(100);
            // as OperatorApp.close: the cycle's thread is interrupted and the readers stop with reads still queued
            cycle.interrupt();
            one.shutdownNow();
            cycle.join(5_000);
            assertThat(cycle.isAlive()).isFalse();
            assertThat(told).isFalse();
        }
    }

    @Test
    void signalsAreSplitByWorkload() {
        twoNamespaces();
        collector.collect();
        Signals api = collector.signals("team-a/api");
        assertThat(api.usable()).isTrue();
        // 100 obs/s over both pods: 20 in (0.05, 0.1], 60 in (0.1, 0.25], 20 in (0.25, 0.5]; rank 95 → 0.25 + 0.25 ×
        // 15/20
        assertThat(api.latencyP95()).isCloseTo(0.4375, within(1e-9));
        assertThat(api.throughput()).isCloseTo(100, within(1e-9));
        assertThat(api.errorRatio()).isCloseTo(0.01, within(1e-9));
        // 0.36 $/h over 100 req/s = 360,000 req/h → 0.001 $ per 1k
        assertThat(api.costPer1k()).isCloseTo(0.001, within(1e-12));
        Signals db = collector.signals("team-a/db");
        assertThat(db.latencyP95()).isCloseTo(0.05 * 0.95, within(1e-9));
        assertThat(db.errorRatio()).isZero();
        Signals web = collector.signals("team-b/web");
        assertThat(web.usable()).isFalse();
        assertThat(web.unavailableReason()).isEqualTo(ConditionReason.NoTraffic);
        assertThat(web.costPer1k()).isNull();
    }

    @Test
    void latencyComesWithItsHistoryOverTheLongestLatencyForFromTheSameQuery() {
        twoNamespaces();
        prom.clear();
        // p95 of api: 0.4375 s (as above) from 10 minutes ago, 0.1 s before; one pod has no sample 4 steps back
        long onset = NOW.minus(Duration.ofMinutes(10)).getEpochSecond();
        List<Map<String, String>> series = new ArrayList<>();
        for (String pod : List.of("api-7d9f8c6b5-abcde", "api-7d9f8c6b5-fghij")) {
            for (double le : LE) {
                series.add(Map.of("pod", pod, "le", Double.isInfinite(le) ? "+Inf" : Double.toString(le)));
            }
        }
        long gap = NOW.getEpochSecond() - 4 * 60;
        prom.range("_bucket{namespace=\"team-a\"}", series, (labels, t) -> {
            if (t == gap && labels.get("pod").endsWith("abcde")) {
                return Double.NaN;
            }
            double le =
                    labels.get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(labels.get("le"));
            // after the onset: 10 in (0.05, 0.1], 30 in (0.1, 0.25], 10 in (0.25, 0.5]; before: all 50 at or under 0.1
            return t >= onset ? (le < 0.1 ? 0 : le < 0.25 ? 10 : le < 0.5 ? 40 : 50) : (le < 0.1 ? 0 : 50);
        });
        prom.instant(
                "_count{namespace=\"team-a\"}",
                () -> List.of(requests("api-7d9f8c6b5-abcde", "200", 50), requests("api-7d9f8c6b5-fghij", "200", 50)));
        collector.demand(new PerfCollector.Target(
                "team-a",
                "api",
                plan("workload: {name: api}\nregression: {latencyFor: 20m}\nrightsizing: {mode: \"Off\"}")));
        collector.demand(new PerfCollector.Target(
                "team-a", "db", plan("workload: {kind: StatefulSet, name: db}\nrightsizing: {mode: \"Off\"}")));
        collector.forget("team-b/web");
        assertThat(collector.collect().queries()).isEqualTo(3);
        LatencyHistory h = collector.signals("team-a/api").latencyHistory();
        // the longest latencyFor of the namespace (20m) at 60 s steps, the last one now
        assertThat(h.step()).isEqualTo(Duration.ofMinutes(1));
        assertThat(h.points()).hasSize(21);
        assertThat(h.points().get(0).at()).isEqualTo(NOW.minus(Duration.ofMinutes(20)));
        assertThat(h.points().get(20).at()).isEqualTo(NOW);
        assertThat(h.points().get(0).seconds()).isCloseTo(0.0975, within(1e-9));
        assertThat(collector.signals("team-a/api").latencyP95()).isCloseTo(0.4375, within(1e-9));
        // the step with one pod missing is the other pod's quantile, the same here: every step from the onset is above
        assertThat(h.aboveSince(v -> v > 0.3, NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(10)));

        // without a latency baseline nobody reads the history: the namespace's buckets are read at now alone, and
        // the p95 judged is the same
        collector.demand(new PerfCollector.Target(
                "team-a",
                "api",
                plan("workload: {name: api}\nregression: {latencyFor: 20m}\nrightsizing: {mode: \"Off\"}"),
                false));
        collector.demand(new PerfCollector.Target(
                "team-a", "db", plan("workload: {kind: StatefulSet, name: db}\nrightsizing: {mode: \"Off\"}"), false));
        collector.collect();
        assertThat(collector.signals("team-a/api").latencyHistory().points())
                .containsExactly(new LatencyHistory.Point(NOW, 0.4375));
        assertThat(collector.signals("team-a/api").latencyP95()).isCloseTo(0.4375, within(1e-9));
        // one target of the namespace that reads it is enough for the whole span
        collector.demand(new PerfCollector.Target(
                "team-a",
                "db",
                plan("workload: {kind: StatefulSet, name: db}\nregression: {latencyFor: 20m}\n"
                        + "rightsizing: {mode: \"Off\"}"),
                true));
        collector.collect();
        assertThat(collector.signals("team-a/api").latencyHistory().points()).hasSize(21);
        assertThat(PerfCollector.historyStep(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(45));
        assertThat(PerfCollector.historyStep(Duration.ZERO)).isEqualTo(Duration.ofSeconds(15));
        assertThat(PerfCollector.historyStart(NOW, Duration.ofSeconds(50), Duration.ofSeconds(15)))
                .isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void aWorkloadWithoutSeriesIsUnknownWithTheReason() {
        collector.demand(new PerfCollector.Target(
                "team-c", "ghost", plan("workload: {name: ghost}\nrightsizing: {mode: \"Off\"}")));
        collector.collect();
        Signals s = collector.signals("team-c/ghost");
        assertThat(s.unavailableReason()).isEqualTo(ConditionReason.NoData);
        assertThat(s.unavailable())
                .isEqualTo("no http_server_request_duration_seconds series for Deployment ghost "
                        + "(pods matching ghost-[a-z0-9]{1,10}-[a-z0-9]{5})");
    }

    @Test
    void templatesAreFilledAndARejectedOneNamesItsField() {
        twoNamespaces();
        prom.steady("my_latency", () -> List.of(new Sample(Map.of(), 0.3)));
        collector.demand(new PerfCollector.Target("team-a", "api", plan("""
        workload: {name: api}
        metrics: {latencyP95: 'max(my_latency{namespace="$namespace", pod=~"$pods", app="$workload"}[$window])'}
        rightsizing: {mode: "Off"}
        """)));
        collector.collect();
        assertThat(prom.queries())
                .contains(
                        "max(my_latency{namespace=\"team-a\", pod=~\"api-[a-z0-9]{1,10}-[a-z0-9]{5}\", app=\"api\"}[5m])");
        assertThat(collector.signals("team-a/api").latencyP95()).isEqualTo(0.3);
        // a latency template is read as a range over latencyFor (15m by default, 45 s steps) too
        assertThat(collector.signals("team-a/api").latencyHistory().points())
                .hasSize(21)
                .allSatisfy(p -> assertThat(p.seconds()).isEqualTo(0.3));
        assertThat(collector.signals("team-a/api").throughput()).isCloseTo(100, within(1e-9));

        prom.reject("broken(", "1:7: parse error: unexpected end of input");
        collector.demand(new PerfCollector.Target(
                "team-a",
                "api",
                plan("workload: {name: api}\nmetrics: {errorRatio: 'broken('}\nrightsizing: {mode: \"Off\"}")));
        collector.collect();
        Signals s = collector.signals("team-a/api");
        assertThat(s.invalidField()).isEqualTo("spec.metrics.errorRatio");
        assertThat(s.unavailable()).contains("parse error");
    }

    @Test
    void prometheusDownMakesEveryTargetUnavailable() {
        twoNamespaces();
        prom.down(true);
        collector.collect();
        assertThat(collector.signals("team-a/api").unavailableReason()).isEqualTo(ConditionReason.HttpError);
        assertThat(collector.signals("team-b/web").unavailable()).contains("stand-in is down");
        assertThat(collector.usage("team-a/api").unavailable()).contains("stand-in is down");
    }

    @Test
    void usageIsGatheredPerContainerAcrossPods() {
        twoNamespaces();
        var pods = List.of(
                Map.of("pod", "api-7d9f8c6b5-abcde", "container", "app"),
                Map.of("pod", "api-7d9f8c6b5-fghij", "container", "app"),
                Map.of("pod", "api-7d9f8c6b5-abcde", "container", "sidecar"),
                Map.of("pod", "db-0", "container", "app"));
        long from = NOW.minus(Duration.ofDays(2)).getEpochSecond();
        prom.range(
                "container_cpu_usage_seconds_total{namespace=\"team-a\"",
                pods,
                (labels, t) -> t < from ? Double.NaN : labels.get("pod").endsWith("abcde") ? 0.5 : 0.25);
        prom.instant(
                "container_memory_working_set_bytes{namespace=\"team-a\"",
                () -> List.of(
                        new Sample(Map.of("pod", "api-7d9f8c6b5-abcde", "container", "app"), 300e6),
                        new Sample(Map.of("pod", "api-7d9f8c6b5-fghij", "container", "app"), 400e6),
                        new Sample(Map.of("pod", "db-0", "container", "app"), 9e9)));
        // valued with the limit the killed pod had; 0: killed, no limit series
        prom.instant(
                "OOMKilled",
                () -> List.of(
                        new Sample(Map.of("pod", "api-7d9f8c6b5-fghij", "container", "app"), 640 * Rightsizer.MIB),
                        new Sample(Map.of("pod", "api-7d9f8c6b5-abcde", "container", "app"), 512 * Rightsizer.MIB),
                        new Sample(Map.of("pod", "api-7d9f8c6b5-abcde", "container", "sidecar"), 0)));
        collector.collect();
        Usage u = collector.usage("team-a/api");
        assertThat(u.containers()).containsOnlyKeys("app", "sidecar");
        Usage.Container app = u.containers().get("app");
        assertThat(app.memoryPeak()).isEqualTo(400e6);
        assertThat(app.oomKilled()).isTrue();
        // killed at 512Mi, then (after a raise) at 640Mi: the highest limit it was killed at
        assertThat(app.limitAtKill()).isEqualTo(640 * Rightsizer.MIB);
        // the first step with a rate stands for the five minutes before it
        assertThat(app.history()).isEqualTo(Duration.ofDays(2).plusMinutes(5));
        // 2 days at the 5m step, from both pods
        assertThat(app.cpu().samples()).isEqualTo(2 * (2 * 288 + 1));
        assertThat(u.containers().get("sidecar").oomKilled()).isTrue();
        assertThat(u.containers().get("sidecar").limitAtKill()).isNull();
        assertThat(prom.queries())
                .contains(
                        "(max by (pod, container) (max_over_time(kube_pod_container_resource_limits{namespace=\"team-a\", "
                                + "resource=\"memory\"}[7d])) and on (pod, container) (max by (pod, container) (max_over_time("
                                + "kube_pod_container_status_last_terminated_reason{namespace=\"team-a\", reason=\"OOMKilled\"}[7d])) > 0)) or on (pod, container) "
                                + "((max by (pod, container) (max_over_time(kube_pod_container_status_last_terminated_reason{namespace=\"team-a\", "
                                + "reason=\"OOMKilled\"}[7d])) > 0) * 0)");
        // figures over the lookback, one number per pod and container: no step of the week crosses the wire
        String cores = "sum by (pod, container) (rate(container_cpu_usage_seconds_total{namespace=\"team-a\", "
                + "container!=\"\", container!=\"POD\"}[5m]))";
        assertThat(prom.queries())
                .contains(
                        "quantile_over_time(0.95, " + cores + "[7d:5m])",
                        "count_over_time(" + cores + "[7d:5m])",
                        "min_over_time(timestamp(" + cores + ")[7d:5m])");
    }

    @Test
    void aPodThatRanMinutesDoesNotLiftTheWorkloadsPercentileAndAnotherPercentileIsReadAtOnce() {
        twoNamespaces();
        long week = NOW.minus(Duration.ofDays(7)).getEpochSecond();
        long tenMinutes = NOW.minus(Duration.ofMinutes(10)).getEpochSecond();
        prom.range(
                "container_cpu_usage_seconds_total{namespace=\"team-a\"",
                List.of(
                        Map.of("pod", "api-7d9f8c6b5-abcde", "container", "app"),
                        Map.of("pod", "api-7d9f8c6b5-fghij", "container", "app"),
                        Map.of("pod", "api-7d9f8c6b5-crash", "container", "app")),
                (labels, t) -> switch (labels.get("pod")) {
                    // a ramp over the week: 0 to 1 core, every 5-minute step a little more
                    case "api-7d9f8c6b5-abcde" -> (t - week) / 604800.0;
                    case "api-7d9f8c6b5-fghij" -> (t - week) / 604800.0 * 0.5;
                    // started ten minutes ago, at 3 cores while it warms up
                    default -> t < tenMinutes ? Double.NaN : 3.0;
                });
        collector.collect();
        Usage.Container app = collector.usage("team-a/api").containers().get("app");
        // the ramp's p95 (Prometheus interpolates between ranks), not the crash-looping pod's 3 cores
        assertThat(app.cpu().at(95)).isCloseTo(0.95, org.assertj.core.data.Offset.offset(0.001));
        assertThat(app.cpu().samples()).isEqualTo(2 * 2017 + 3);
        assertThat(app.history()).isEqualTo(Duration.ofDays(7));
        assertThat(app.cpu().has(90)).isFalse();

        // the spec now names p90: read at the next cycle, not an hour later
        collector.demand(new PerfCollector.Target(
                "team-a", "api", plan("workload: {name: api}\nrightsizing: {mode: Recommend, percentile: 90}")));
        prom.resetLog();
        collector.collect();
        assertThat(prom.queries()).anySatisfy(q -> assertThat(q).startsWith("quantile_over_time(0.90, "));
        assertThat(collector.usage("team-a/api").containers().get("app").cpu().at(90))
                .isCloseTo(0.90, org.assertj.core.data.Offset.offset(0.001));
        prom.resetLog();
        collector.collect();
        assertThat(prom.queries()).noneSatisfy(q -> assertThat(q).contains("_over_time"));
    }

    @Test
    void aFailedFigureOfTheUsageReadLeavesTheUsageUnavailableNotGuessed() {
        twoNamespaces();
        prom.range(
                "container_cpu_usage_seconds_total{namespace=\"team-a\"",
                List.of(Map.of("pod", "api-7d9f8c6b5-abcde", "container", "app")),
                (labels, t) -> 0.5);
        // the percentile and the steps answer, the first step does not (e.g. Prometheus' sample limit)
        prom.reject("min_over_time(timestamp(", "query processing would load too many samples into memory");
        collector.collect();
        Usage u = collector.usage("team-a/api");
        assertThat(u.containers()).isEmpty();
        assertThat(u.unavailable()).contains("too many samples");
        // an answer without the first step of a pod: its history counts as none, so no recommendation from it
        anew("count_over_time(", "quantile_over_time(0.95, ");
        collector.collect();
        Usage.Container app = collector.usage("team-a/api").containers().get("app");
        assertThat(app.cpu().at(95)).isEqualTo(0.5);
        assertThat(app.history()).isEqualTo(Duration.ofMinutes(5));

        // the percentile without the steps: no figure for the container, and no re-read every cycle because of it
        anew("quantile_over_time(0.95, ");
        collector.collect();
        assertThat(collector.usage("team-a/api").containers().get("app").cpu().samples())
                .isZero();
        prom.resetLog();
        collector.collect();
        assertThat(prom.queries()).noneSatisfy(q -> assertThat(q).contains("_over_time"));
    }

    /** A new collector and stand-in where only the usage figures named by their function answer (0.5 cores). */
    private void anew(String... figures) {
        prom.clear();
        collector = collectorOf(prom, Runnable::run);
        twoNamespaces();
        for (String figure : figures) {
            prom.range(
                    figure + "sum by (pod, container) (rate(container_cpu_usage_seconds_total{namespace=\"team-a\"",
                    List.of(Map.of("pod", "api-7d9f8c6b5-abcde", "container", "app")),
                    (labels, t) -> 0.5);
        }
    }
}
