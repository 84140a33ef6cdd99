package io.costguard.metrics;

import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own metrics, registered on one registry that {@code /metrics} serves. No exemplars: with a
 * series per budget they would cost about 150 bytes each for nothing (there are no traces to point to).
 */
public final class OperatorMetrics implements PrometheusClient.QueryObserver {
    private static final List<String> STATES = List.of("Ok", "Warning", "Critical", "Exceeded", "Unknown", "Invalid");
    /** The allocation keys {@code costguard_budget_info} carries, for alert routing; extra keys are left out. */
    public static final List<String> OWNER_KEYS = List.of("tenant", "team", "feature", "environment");

    private final Gauge budgetSpent;
    private final Gauge budgetAmount;
    private final Gauge budgetForecast;
    private final Gauge budgetForecastLow;
    private final Gauge budgetForecastHigh;
    private final Gauge budgetUsedRatio;
    private final Gauge budgetDataCoverage;
    private final Gauge budgetState;
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
    private final Info budgetInfo;
    // the info series each budget exports now, so a changed selector replaces it instead of adding a second one
    private final Map<String, String[]> budgetOwners = new ConcurrentHashMap<>();

    public OperatorMetrics(PrometheusRegistry registry) {
        budgetSpent = Gauge.builder()
                .withoutExemplars()
                .name("costguard_budget_spent")
                .help("Spend of the budget in the current period, in its currency")
                .labelNames("namespace", "name", "currency")
                .register(registry);
        budgetAmount = Gauge.builder()
                .withoutExemplars()
                .name("costguard_budget_amount")
                .help("Budget amount per period, in its currency")
                .labelNames("namespace", "name", "currency")
                .register(registry);
        budgetForecast = Gauge.builder()
                .withoutExemplars()
                .name("costguard_budget_forecast")
                .help("Projected spend at the end of the period, in its currency")
                .labelNames("namespace", "name", "currency")
                .register(registry);
        budgetForecastLow = Gauge.builder()
                .withoutExemplars()
                .name("costguard_budget_forecast_low")
                .help("Low end of the 80 % interval of the spend at the end of the period, in its currency")
                .labelNames("namespace", "name", "currency")
                .register(registry);
        budgetForecastHigh = Gauge.builder()
                .withoutExemplars()
                .name("costguard_budget_forecast_high")
                .help("High end of the 80 % interval of the spend at the end of the period, in its currency")
                .labelNames("namespace", "name", "currency")
                .register(registry);
        budgetUsedRatio = Gauge.builder()
                .withoutExemplars()
                .name("costguard_budget_used_ratio")
                .help("Spent divided by amount (1 = 100 %)")
                .labelNames("namespace", "name")
                .register(registry);
        budgetDataCoverage = Gauge.builder()
                .withoutExemplars()
                .name("costguard_budget_data_coverage_ratio")
                .help("Share of the current period's elapsed hours that have cost data (1 = every hour)")
                .labelNames("namespace", "name")
                .register(registry);
        budgetInfo = Info.builder()
                .name("costguard_budget_info")
                .help(
                        "1 per budget, labelled with its selector's allocation keys (empty when the selector leaves one out), to join alerts on")
                .labelNames("namespace", "name", "tenant", "team", "feature", "environment")
                .register(registry);
        budgetState = Gauge.builder()
                .withoutExemplars()
                .name("costguard_budget_state")
                .help("1 for the budget's current state, 0 for the others")
                .labelNames("namespace", "name", "state")
                .register(registry);
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
                .help("Resources a cycle did not reconcile because their last reconcile saw the same inputs")
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
        if (forecast != null) {
            budgetForecast.labelValues(namespace, name, currency).set(forecast);
        }
        if (spent != null) {
            budgetSpent.labelValues(namespace, name, currency).set(spent);
            budgetUsedRatio.labelValues(namespace, name).set(spent / amount);
        }
        budgetAmount.labelValues(namespace, name, currency).set(amount);
        for (String s : STATES) {
            budgetState.labelValues(namespace, name, s).set(s.equals(state) ? 1 : 0);
        }
    }

    /** Share of the period's elapsed hours with cost data; null keeps the last value (nothing new was read). */
    public void budgetDataCoverage(String namespace, String name, Double ratio) {
        if (ratio != null) {
            budgetDataCoverage.labelValues(namespace, name).set(ratio);
        }
    }

    /** The forecast's 80 % interval; nothing is exported while there is no forecast. */
    public void budgetForecastInterval(String namespace, String name, String currency, Double low, Double high) {
        if (low != null && high != null) {
            budgetForecastLow.labelValues(namespace, name, currency).set(low);
            budgetForecastHigh.labelValues(namespace, name, currency).set(high);
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
        String[] before = budgetOwners.put(namespace + "/" + name, labels);
        if (Arrays.equals(before, labels)) {
            return; // exported already: Info's add scans every exported series, which per budget per cycle is n²
        }
        if (before != null) {
            budgetInfo.remove(before);
        }
        budgetInfo.addLabelValues(labels);
    }

    public void forgetBudget(String namespace, String name, String currency) {
        String[] owner = budgetOwners.remove(namespace + "/" + name);
        if (owner != null) {
            budgetInfo.remove(owner);
        }
        budgetSpent.remove(namespace, name, currency);
        budgetAmount.remove(namespace, name, currency);
        budgetForecast.remove(namespace, name, currency);
        budgetForecastLow.remove(namespace, name, currency);
        budgetForecastHigh.remove(namespace, name, currency);
        budgetUsedRatio.remove(namespace, name);
        budgetDataCoverage.remove(namespace, name);
        for (String s : STATES) {
            budgetState.remove(namespace, name, s);
        }
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
