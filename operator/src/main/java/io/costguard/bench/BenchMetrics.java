package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.baseline.PerfPlan;
import io.costguard.metrics.Gauges;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/** BenchRun metrics: phase, the judged values with their thresholds, and finished runs by result. */
public final class BenchMetrics {
    static final List<String> PHASES =
            java.util.Arrays.stream(BenchPhase.values()).map(Enum::name).toList();
    private static final String[] SIGNALS = {
        "latency_p95_seconds", "error_ratio", "throughput_rps", "cost_per_1k_requests"
    };

    private final Gauge phase;
    private final Gauge value;
    private final Gauge threshold;
    private final Gauge cost;
    private final Counter finished;

    public BenchMetrics(PrometheusRegistry registry) {
        phase = Gauge.builder()
                .withoutExemplars()
                .name("costguard_benchrun_phase")
                .help("1 for the BenchRun's current phase, 0 for the others")
                .labelNames("namespace", "name", "phase")
                .register(registry);
        value = Gauge.builder()
                .withoutExemplars()
                .name("costguard_benchrun_value")
                .help(
                        "A finished BenchRun's result: latency_p95_seconds, error_ratio, throughput_rps, cost_per_1k_requests")
                .labelNames("namespace", "name", "signal")
                .register(registry);
        threshold = Gauge.builder()
                .withoutExemplars()
                .name("costguard_benchrun_threshold")
                .help(
                        "What a BenchRun result is judged against: kind threshold (spec.thresholds) or baseline (the PerfBaseline's)")
                .labelNames("namespace", "name", "signal", "kind")
                .register(registry);
        cost = Gauge.builder()
                .withoutExemplars()
                .name("costguard_benchrun_cost")
                .help("Attributed cost of the target over a BenchRun's measured window")
                .labelNames("namespace", "name")
                .register(registry);
        finished = Counter.builder()
                .withoutExemplars()
                .name("costguard_benchruns_finished_total")
                .help("BenchRuns finished, by result: Pass, Fail or Error")
                .labelNames("namespace", "result")
                .register(registry);
    }

    public void phase(String ns, String name, String current) {
        for (String p : PHASES) {
            phase.labelValues(ns, name, p).set(p.equals(current) ? 1 : 0);
        }
    }

    public void judged(
            String ns,
            String name,
            PerfPlan.Values v,
            PerfPlan.Values thresholds,
            PerfPlan.Values baseline,
            Double usd) {
        Double[] values = {v.latencyP95(), v.errorRatio(), v.throughput(), v.costPer1k()};
        Double[] limits = {thresholds.latencyP95(), thresholds.errorRatio(), null, thresholds.costPer1k()};
        Double[] base = {baseline.latencyP95(), baseline.errorRatio(), baseline.throughput(), baseline.costPer1k()};
        for (int i = 0; i < SIGNALS.length; i++) {
            Gauges.setOrRemove(value, values[i], ns, name, SIGNALS[i]);
            Gauges.setOrRemove(threshold, limits[i], ns, name, SIGNALS[i], "threshold");
            Gauges.setOrRemove(threshold, base[i], ns, name, SIGNALS[i], "baseline");
        }
        if (usd != null) {
            cost.labelValues(ns, name).set(usd);
        }
    }

    public void finished(String ns, String result) {
        finished.labelValues(ns, result).inc();
    }

    public void forget(String ns, String name) {
        for (String p : PHASES) {
            phase.remove(ns, name, p);
        }
        for (String s : SIGNALS) {
            value.remove(ns, name, s);
            threshold.remove(ns, name, s, "threshold");
            threshold.remove(ns, name, s, "baseline");
        }
        cost.remove(ns, name);
    }
}
