package io.costguard.baseline;

import io.costguard.metrics.Gauges;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;

/**
 * PerfBaseline metrics: every evaluated signal and every threshold it is judged against (people want the values,
 * not only the verdict), state, freezes, regressions, recommendations, and what a collection cycle cost.
 */
public final class PerfMetrics {
    static final List<String> STATES = List.of("Healthy", "Regressed", "SLOViolated", "Unknown", "Invalid");
    private static final String[] SIGNALS = {
        "latency_p95_seconds", "error_ratio", "throughput_rps", "cost_per_1k_requests"
    };

    private final Gauge value;
    private final Gauge threshold;
    private final Gauge state;
    private final Gauge frozen;
    private final Counter regressions;
    private final Gauge recommendation;
    private final Counter applied;
    private final Gauge cycleQueries;
    private final Gauge cycleSeconds;
    private final Gauge cycleTargets;

    public PerfMetrics(PrometheusRegistry registry) {
        value = Gauge.builder()
                .withoutExemplars()
                .name("costguard_perf_value")
                .help(
                        "A PerfBaseline's measured signal: latency_p95_seconds, error_ratio, throughput_rps, cost_per_1k_requests")
                .labelNames("namespace", "name", "signal")
                .register(registry);
        threshold = Gauge.builder()
                .withoutExemplars()
                .name("costguard_perf_threshold")
                .help(
                        "What a signal is judged against: kind slo (objective), baseline (value regressions are measured from), regression (the limit it may reach)")
                .labelNames("namespace", "name", "signal", "kind")
                .register(registry);
        state = Gauge.builder()
                .withoutExemplars()
                .name("costguard_perf_state")
                .help("1 for the PerfBaseline's current state, 0 for the others")
                .labelNames("namespace", "name", "state")
                .register(registry);
        frozen = Gauge.builder()
                .withoutExemplars()
                .name("costguard_perf_deploys_frozen")
                .help("1 while the PerfBaseline freezes rollouts")
                .labelNames("namespace", "name")
                .register(registry);
        regressions = Counter.builder()
                .withoutExemplars()
                .name("costguard_perf_regressions_total")
                .help("Regressions confirmed, by metric")
                .labelNames("namespace", "name", "metric")
                .register(registry);
        recommendation = Gauge.builder()
                .withoutExemplars()
                .name("costguard_rightsizing_recommended")
                .help("Recommended request per container: cpu in cores, memory in bytes")
                .labelNames("namespace", "name", "container", "resource")
                .register(registry);
        applied = Counter.builder()
                .withoutExemplars()
                .name("costguard_rightsizing_patches_total")
                .help("Rightsizing patches by kind (apply, undo)")
                .labelNames("namespace", "name", "kind")
                .register(registry);
        cycleQueries = Gauge.builder()
                .withoutExemplars()
                .name("costguard_perf_cycle_queries")
                .help("Prometheus queries the last performance cycle sent")
                .register(registry);
        cycleSeconds = Gauge.builder()
                .withoutExemplars()
                .name("costguard_perf_cycle_seconds")
                .help("Wall time of the last performance cycle")
                .register(registry);
        cycleTargets = Gauge.builder()
                .withoutExemplars()
                .name("costguard_perf_cycle_targets")
                .help("PerfBaselines the last performance cycle measured")
                .register(registry);
    }

    public void cycle(int queries, Duration d, int targets) {
        cycleQueries.set(queries);
        cycleSeconds.set(d.toNanos() / 1e9);
        cycleTargets.set(targets);
    }

    /** Values, thresholds, state and freeze of one PerfBaseline; absent values are removed, not zeroed. */
    public void evaluated(
            String ns,
            String name,
            PerfPlan plan,
            PerfPlan.Values current,
            PerfPlan.Values baseline,
            String stateName,
            boolean deploysFrozen) {
        Double[] now = current == null
                ? new Double[4]
                : new Double[] {current.latencyP95(), current.errorRatio(), current.throughput(), current.costPer1k()};
        for (int i = 0; i < SIGNALS.length; i++) {
            Gauges.setOrRemove(value, now[i], ns, name, SIGNALS[i]);
        }
        if (plan != null) {
            PerfPlan.Values slo = plan.slo();
            Double[] objectives = {slo.latencyP95(), slo.errorRatio(), slo.throughput(), slo.costPer1k()};
            Double[] base = {baseline.latencyP95(), baseline.errorRatio(), baseline.throughput(), baseline.costPer1k()};
            PerfPlan.Regression r = plan.regression();
            Double[] limits = {
                baseline.latencyP95() == null ? null : baseline.latencyP95() * (1 + r.latencyPercent() / 100.0),
                r.errorRatio(),
                baseline.throughput() == null ? null : baseline.throughput() * (1 - r.throughputPercent() / 100.0),
                baseline.costPer1k() == null ? null : baseline.costPer1k() * (1 + r.costPerUnitPercent() / 100.0)
            };
            for (int i = 0; i < SIGNALS.length; i++) {
                Gauges.setOrRemove(threshold, objectives[i], ns, name, SIGNALS[i], "slo");
                Gauges.setOrRemove(threshold, base[i], ns, name, SIGNALS[i], "baseline");
                Gauges.setOrRemove(
                        threshold, baseline.isEmpty() ? null : limits[i], ns, name, SIGNALS[i], "regression");
            }
        }
        for (String s : STATES) {
            state.labelValues(ns, name, s).set(s.equals(stateName) ? 1 : 0);
        }
        frozen.labelValues(ns, name).set(deploysFrozen ? 1 : 0);
    }

    public void regressionConfirmed(String ns, String name, String metric) {
        regressions.labelValues(ns, name, metric).inc();
    }

    public void recommended(String ns, String name, String container, String resource, Double v) {
        Gauges.setOrRemove(recommendation, v, ns, name, container, resource);
    }

    public void patched(String ns, String name, String kind) {
        applied.labelValues(ns, name, kind).inc();
    }

    public void forget(String ns, String name) {
        for (String s : SIGNALS) {
            value.remove(ns, name, s);
            for (String k : List.of("slo", "baseline", "regression")) {
                threshold.remove(ns, name, s, k);
            }
        }
        for (String s : STATES) {
            state.remove(ns, name, s);
        }
        frozen.remove(ns, name);
    }
}
