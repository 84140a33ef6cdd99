package io.costguard.metrics;

import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The operator's own metrics, registered on one registry that {@code /metrics} serves. No exemplars: with a
 * series per budget they would cost about 150 bytes each for nothing (there are no traces to point to).
 */
public final class OperatorMetrics implements PrometheusClient.QueryObserver {
    private static final List<String> STATES = List.of("Ok", "Warning", "Critical", "Exceeded", "Unknown", "Invalid");
    /** The allocation keys {@code costguard_budget_info} carries, for alert routing; extra keys are left out. */
    public static final List<String> OWNER_KEYS = List.of("tenant", "team", "feature", "environment");

    private final Counter thresholdCrossings;
    private final Counter anomalies;
    private final Histogram evaluationDuration;
    private final Counter unchangedSkips;
    private final Histogram cycleDuration;
    private final Histogram queryDuration;
    private final Counter queryErrors;
    private final Gauge dataAvailable;
    private final Gauge unattributedCost;
    private final Gauge cycleQueries;
    private final Gauge cycleSamples;
    private final Gauge missingHours;
    private final Gauge unreadable;
    private final BudgetOwnerInfo budgetInfo;
    private static final int SPENT = 0,
            AMOUNT = 1,
            FORECAST = 2,
            FORECAST_LOW = 3,
            FORECAST_HIGH = 4,
            USED = 5,
            COVERAGE = 6,
            STATE = 7;
    private final ObjectGauges budgets = new ObjectGauges(
            List.of("currency"),
            List.of(
                    ObjectGauges.Family.single(
                            "costguard_budget_spent",
                            "Spend of the budget in the current period, in its currency",
                            true),
                    ObjectGauges.Family.single(
                            "costguard_budget_amount", "Budget amount per period, in its currency", true),
                    ObjectGauges.Family.single(
                            "costguard_budget_forecast",
                            "Projected spend at the end of the period, in its currency",
                            true),
                    ObjectGauges.Family.single(
                            "costguard_budget_forecast_low",
                            "Low end of the 80 % interval of the spend at the end of the period, in its currency",
                            true),
                    ObjectGauges.Family.single(
                            "costguard_budget_forecast_high",
                            "High end of the 80 % interval of the spend at the end of the period, in its currency",
                            true),
                    ObjectGauges.Family.single(
                            "costguard_budget_used_ratio", "Spent divided by amount (1 = 100 %)", false),
                    ObjectGauges.Family.single(
                            "costguard_budget_data_coverage_ratio",
                            "Share of the current period's elapsed hours that have cost data (1 = every hour)",
                            false),
                    ObjectGauges.Family.perValue(
                            "costguard_budget_state",
                            "1 for the budget's current state, 0 for the others",
                            "state",
                            STATES)));
    // the info series each budget exports now, so a changed selector replaces it instead of adding a second one

    public OperatorMetrics(PrometheusRegistry registry) {
        registry.register(budgets);
        budgetInfo = new BudgetOwnerInfo(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("namespace", "name"), OWNER_KEYS.stream())
                        .toList(),
                "1 per budget, labelled with its selector's allocation keys (empty when the selector leaves one out), to join alerts on");
        registry.register(budgetInfo);
        thresholdCrossings = Counter.builder()
                .withoutExemplars()
                .name("costguard_threshold_crossings_total")
                .help("Budget thresholds crossed")
                .labelNames("namespace", "name", "percent")
                .register(registry);
        anomalies = Counter.builder()
                .withoutExemplars()
                .name("costguard_cost_anomalies_total")
                .help("Days flagged as spend anomalies")
                .labelNames("namespace", "name")
                .register(registry);
        evaluationDuration = Histogram.builder()
                .withoutExemplars()
                .name("costguard_reconcile_duration_seconds")
                .help("Duration of one reconcile")
                .labelNames("kind")
                .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5)
                .register(registry);
        unchangedSkips = Counter.builder()
                .withoutExemplars()
                .name("costguard_cycle_unchanged_total")
                .help(
                        "Resources a cycle did not reconcile: nothing they read changed (CostBudget) or could change the verdict (PerfBaseline)")
                .labelNames("kind")
                .register(registry);
        cycleDuration = Histogram.builder()
                .withoutExemplars()
                .name("costguard_cost_cycle_duration_seconds")
                .help("Duration of one cost collection cycle")
                .classicUpperBounds(0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60)
                .register(registry);
        queryDuration = Histogram.builder()
                .withoutExemplars()
                .name("costguard_prometheus_query_duration_seconds")
                .help("Latency of Prometheus queries")
                .labelNames("source", "type")
                .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        queryErrors = Counter.builder()
                .withoutExemplars()
                .name("costguard_prometheus_query_errors_total")
                .help("Failed Prometheus queries by outcome")
                .labelNames("source", "outcome")
                .register(registry);
        dataAvailable = Gauge.builder()
                .withoutExemplars()
                .name("costguard_cost_data_available")
                .help("1 when cost data is fresh, 0 when missing or stale")
                .register(registry);
        unattributedCost = Gauge.builder()
                .withoutExemplars()
                .name("costguard_unattributed_cost")
                .help("Cost of the newest complete hour of pods missing an allocation key")
                .labelNames("namespace")
                .register(registry);
        cycleQueries = Gauge.builder()
                .withoutExemplars()
                .name("costguard_cost_cycle_queries")
                .help("Prometheus queries sent by the last cost cycle")
                .register(registry);
        unreadable = Gauge.builder()
                .withoutExemplars()
                .name("costguard_unreadable_objects")
                .help(
                        "Objects of costguard's kinds this version cannot read (wrong types, unknown fields): reported and skipped")
                .labelNames("kind", "namespace")
                .register(registry);
        cycleSamples = Gauge.builder()
                .withoutExemplars()
                .name("costguard_cost_cycle_samples")
                .help("Samples read by the last cost cycle")
                .register(registry);
        missingHours = Gauge.builder()
                .withoutExemplars()
                .name("costguard_cost_missing_hours")
                .help(
                        "Hours the last cost cycle's answers left out although they had cost before (kept as read before; the data counts as missing)")
                .register(registry);
    }

    public void budget(
            String namespace,
            String name,
            String currency,
            Double spent,
            double amount,
            String state,
            Double forecast) {
        budgets.update(namespace, name, new String[] {currency}, v -> {
            if (forecast != null) {
                v[FORECAST] = forecast;
            }
            if (spent != null) {
                v[SPENT] = spent;
                v[USED] = spent / amount;
            }
            v[AMOUNT] = amount;
            for (int i = 0; i < STATES.size(); i++) {
                v[budgets.at(STATE, i)] = STATES.get(i).equals(state) ? 1 : 0;
            }
        });
    }

    /** Share of the period's elapsed hours with cost data; null keeps the last value (nothing new was read). */
    public void budgetDataCoverage(String namespace, String name, Double ratio) {
        if (ratio != null) {
            budgets.update(namespace, name, null, v -> v[COVERAGE] = ratio);
        }
    }

    /** The forecast's 80 % interval; nothing is exported while there is no forecast. */
    public void budgetForecastInterval(String namespace, String name, String currency, Double low, Double high) {
        if (low != null && high != null) {
            budgets.update(namespace, name, new String[] {currency}, v -> {
                v[FORECAST_LOW] = low;
                v[FORECAST_HIGH] = high;
            });
        }
    }

    /** The budget's owners for {@code costguard_budget_info}: its selector's values of {@link #OWNER_KEYS}. */
    public void budgetOwner(String namespace, String name, Map<String, String> selector) {
        String[] labels = new String[2 + OWNER_KEYS.size()];
        labels[0] = namespace;
        labels[1] = name;
        for (int i = 0; i < OWNER_KEYS.size(); i++) {
            labels[2 + i] = selector == null ? "" : selector.getOrDefault(OWNER_KEYS.get(i), "");
        }
        budgetInfo.put(namespace, name, labels);
    }

    public void forgetBudget(String namespace, String name, String currency) {
        budgetInfo.remove(namespace, name);
        budgets.remove(namespace, name);
    }

    public void anomalyDetected(String namespace, String name) {
        anomalies.labelValues(namespace, name).inc();
    }

    public void thresholdCrossed(String namespace, String name, int percent) {
        thresholdCrossings
                .labelValues(namespace, name, Integer.toString(percent))
                .inc();
    }

    /** How many objects of a kind in a namespace cannot be read; the series goes when none is left. */
    public void unreadable(String kind, String namespace, long count) {
        if (count == 0) {
            unreadable.remove(kind, namespace);
        } else {
            unreadable.labelValues(kind, namespace).set(count);
        }
    }

    public void reconciled(String kind, Duration d) {
        evaluationDuration.labelValues(kind).observe(d.toNanos() / 1e9);
    }

    /** A cycle left {@code count} resources of {@code kind} alone: nothing they read had changed. */
    public void unchanged(String kind, int count) {
        unchangedSkips.labelValues(kind).inc(count);
    }

    /** Resources of {@code kind} cycles have left alone so far. */
    public long unchanged(String kind) {
        return (long) unchangedSkips.labelValues(kind).get();
    }

    /** Reconciles of {@code kind} so far, read from this one histogram (tests and benchmarks count with it). */
    public long reconciles(String kind) {
        return evaluationDuration.collect().getDataPoints().stream()
                .filter(d -> kind.equals(d.getLabels().get("kind")))
                .mapToLong(d -> d.getCount())
                .sum();
    }

    public void cycle(Duration d, boolean available, int queries, long samples, int missing) {
        cycleDuration.observe(d.toNanos() / 1e9);
        missingHours.set(missing);
        dataAvailable.set(available ? 1 : 0);
        cycleQueries.set(queries);
        cycleSamples.set(samples);
    }

    public void unattributed(String namespace, double cost) {
        unattributedCost.labelValues(namespace).set(cost);
    }

    @Override
    public void observe(String purpose, String type, Duration latency, FailureKind failureOrNull) {
        queryDuration.labelValues(purpose, type).observe(latency.toNanos() / 1e9);
        if (failureOrNull != null) {
            queryErrors.labelValues(purpose, failureOrNull.name()).inc();
        }
    }
}
