package io.costguard.baseline;

import io.costguard.metrics.ObjectGauges;
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

    private static final List<String> KINDS = List.of("slo", "baseline", "regression");
    private static final int VALUE = 0, THRESHOLD = 1, STATE = 2, FROZEN = 3;
    private final ObjectGauges perObject = new ObjectGauges(
            List.of(),
            List.of(
                    ObjectGauges.Family.perValue(
                            "costguard_perf_value",
                            "A PerfBaseline's measured signal: latency_p95_seconds, error_ratio, throughput_rps, cost_per_1k_requests",
                            "signal",
                            List.of(SIGNALS)),
                    new ObjectGauges.Family(
                            "costguard_perf_threshold",
                            "What a signal is judged against: kind slo (objective), baseline (value regressions are measured from), regression (the limit it may reach)",
                            false,
                            List.of("signal", "kind"),
                            java.util.Arrays.stream(SIGNALS)
                                    .flatMap(signal -> KINDS.stream().map(kind -> List.of(signal, kind)))
                                    .toList()),
                    ObjectGauges.Family.perValue(
                            "costguard_perf_state",
                            "1 for the PerfBaseline's current state, 0 for the others",
                            "state",
                            STATES),
                    ObjectGauges.Family.single(
                            "costguard_perf_deploys_frozen", "1 while the PerfBaseline freezes rollouts", false)));
    private final Counter regressions;
    private final RecommendationGauges recommendation = new RecommendationGauges();
    private final Counter applied;
    private final Gauge cycleQueries;
    private final Gauge cycleSeconds;
    private final Gauge cycleTargets;

    public PerfMetrics(PrometheusRegistry registry) {
        registry.register(perObject);
        regressions = Counter.builder()
                .withoutExemplars()
                .name("costguard_perf_regressions_total")
                .help("Regressions confirmed, by metric")
                .labelNames("namespace", "name", "metric")
                .register(registry);
        registry.register(recommendation);
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

    /** The measured values of a PerfBaseline a cycle left alone (its thresholds, state and freeze stand). */
    public void measured(String ns, String name, PerfPlan.Values current) {
        perObject.updateIfPresent(ns, name, v -> setValues(v, current));
    }

    private void setValues(double[] row, PerfPlan.Values current) {
        Double[] now = current == null
                ? new Double[4]
                : new Double[] {current.latencyP95(), current.errorRatio(), current.throughput(), current.costPer1k()};
        for (int i = 0; i < SIGNALS.length; i++) {
            row[perObject.at(VALUE, i)] = orNaN(now[i]);
        }
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
        perObject.update(ns, name, null, v -> {
            setValues(v, current);
            if (plan != null) {
                PerfPlan.Values slo = plan.slo();
                Double[] objectives = {slo.latencyP95(), slo.errorRatio(), slo.throughput(), slo.costPer1k()};
                Double[] base = {
                    baseline.latencyP95(), baseline.errorRatio(), baseline.throughput(), baseline.costPer1k()
                };
                PerfPlan.Regression r = plan.regression();
                Double[] limits = {
                    baseline.latencyP95() == null ? null : baseline.latencyP95() * (1 + r.latencyPercent() / 100.0),
                    r.errorRatio(),
                    baseline.throughput() == null ? null : baseline.throughput() * (1 - r.throughputPercent() / 100.0),
                    baseline.costPer1k() == null ? null : baseline.costPer1k() * (1 + r.costPerUnitPercent() / 100.0)
                };
                for (int i = 0; i < SIGNALS.length; i++) {
                    v[perObject.at(THRESHOLD, i * KINDS.size())] = orNaN(objectives[i]);
                    v[perObject.at(THRESHOLD, i * KINDS.size() + 1)] = orNaN(base[i]);
                    v[perObject.at(THRESHOLD, i * KINDS.size() + 2)] =
                            baseline.isEmpty() ? Double.NaN : orNaN(limits[i]);
                }
            }
            for (int i = 0; i < STATES.size(); i++) {
                v[perObject.at(STATE, i)] = STATES.get(i).equals(stateName) ? 1 : 0;
            }
            v[perObject.at(FROZEN, 0)] = deploysFrozen ? 1 : 0;
        });
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    public void regressionConfirmed(String ns, String name, String metric) {
        regressions.labelValues(ns, name, metric).inc();
    }

    /** The PerfBaseline's recommendations as they are now (none: its series go). */
    public void recommended(String ns, String name, List<RecommendationGauges.Recommended> containers) {
        recommendation.set(ns, name, containers);
    }

    public void patched(String ns, String name, String kind) {
        applied.labelValues(ns, name, kind).inc();
    }

    public void forget(String ns, String name) {
        perObject.remove(ns, name);
        recommendation.remove(ns, name);
    }
}
