package io.costguard.bench;

import io.costguard.api.ConditionReason;
import io.costguard.baseline.WorkloadPods;
import io.costguard.cost.CostQueries;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome;
import io.costguard.prometheus.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The target workload's attributed cost over the measured window: one range query for the money per hour of the
 * workload's pods (the cost source of section 1, pod names matched as the PerfBaseline collector matches them),
 * integrated over the window. Cost is linear in the prices because the query multiplies by them.
 */
public final class RunCost {
    /** Share of the window the samples must cover before the cost counts. */
    static final double MIN_COVERAGE = 0.9;

    private final PrometheusClient prometheus;
    private final CostQueries queries;

    public RunCost(PrometheusClient prometheus, CostQueries queries) {
        this.prometheus = prometheus;
        this.queries = queries;
    }

    public sealed interface Outcome permits Priced, Unavailable {}

    /** The cost in the pricing currency, and the share of the window that had samples. */
    public record Priced(double cost, double coverage) implements Outcome {}

    /** No cost: {@code prometheusDown} when Prometheus could not be read at all (as opposed to missing series). */
    public record Unavailable(ConditionReason reason, String message, boolean prometheusDown) implements Outcome {}

    public String query(String namespace, String kind, String workload) {
        // a run named like its Deployment has a k6 pod (<name>-k6-xxxxx) that the Deployment's pattern would take for
        // its own
        return "sum(" + queries.podCostPerHour(namespace, WorkloadPods.regex(kind, workload), K6Job.POD_NAMES) + ")";
    }

    public Outcome cost(String namespace, String kind, String workload, Instant from, Instant to) {
        Duration step = step(Duration.between(from, to));
        QueryOutcome outcome = prometheus.queryRange("bench", query(namespace, kind, workload), from, to, step);
        if (outcome instanceof QueryOutcome.Failure f) {
            boolean down = f.kind() == QueryOutcome.FailureKind.Unreachable
                    || f.kind() == QueryOutcome.FailureKind.Timeout
                    || f.kind() == QueryOutcome.FailureKind.HttpError;
            String message = f.kind() == QueryOutcome.FailureKind.NoData
                    ? "Prometheus has no cost series for the pods of " + kind + " " + workload + " between " + from
                            + " and " + to
                    : f.message();
            return new Unavailable(f.kind().reason(), message, down);
        }
        List<Series> result = ((QueryOutcome.Success) outcome).series();
        if (result.isEmpty()) {
            return new Unavailable(
                    ConditionReason.NoData,
                    "Prometheus has no cost series for the pods of " + kind + " " + workload + " between " + from
                            + " and " + to,
                    false);
        }
        Series series = result.get(0);
        Integral i = integrate(
                series.timestamps(), series.values(), from.getEpochSecond(), to.getEpochSecond(), step.getSeconds());
        if (i.coverage() < MIN_COVERAGE) {
            return new Unavailable(
                    ConditionReason.IncompleteData,
                    String.format(
                            java.util.Locale.ROOT,
                            "Prometheus has cost samples for only %.0f %% of the run's measured window (%s to %s); waiting for the rest",
                            i.coverage() * 100,
                            from,
                            to),
                    false);
        }
        return new Priced(i.cost(), i.coverage());
    }

    /** Steps of at least 5 s, at most about 500 points per window. */
    static Duration step(Duration window) {
        long seconds = Math.max(5, (window.toSeconds() + 499) / 500);
        return Duration.ofSeconds(seconds);
    }

    /** Money over the window and the share of it covered by samples. */
    public record Integral(double cost, double coverage) {}

    /**
     * Each sample (money per hour) holds until the next step, cut at the window's end: exact for a rate that changes
     * only at steps, and independent of where the window starts.
     */
    static Integral integrate(long[] timestamps, double[] perHour, long from, long to, long step) {
        double cost = 0;
        long covered = 0;
        for (int i = 0; i < timestamps.length; i++) {
            long t = timestamps[i];
            if (t < from || t >= to) {
                continue;
            }
            long until = Math.min(t + step, to);
            cost += perHour[i] * (until - t) / 3600.0;
            covered += until - t;
        }
        long window = to - from;
        return new Integral(cost, window <= 0 ? 0 : (double) covered / window);
    }
}
