package io.costguard.bench;

import io.costguard.api.BenchComparison;
import io.costguard.api.BenchResults;
import io.costguard.api.BenchVerdict;
import io.costguard.baseline.PerfFormat;
import io.costguard.baseline.PerfPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a finished run: its results against spec.thresholds and, when a baseline is known, each signal against it
 * (a change in the bad direction beyond maxRegressionPercent fails). Pure.
 */
public final class BenchJudge {
    /** Error ratios closer than this (0.01 % of requests) are the same: a percent of a tiny ratio is noise. */
    static final double ERROR_RATIO_FLOOR = 0.0001;

    private static final double TOLERANCE = 1e-9;

    /** The measured values: latency in seconds, throughput per second, cost per 1000 requests. */
    public record Measured(long requests, PerfPlan.Values values, Double p50, Double p99, Double cost, long dropped) {}

    public record Judgement(
            BenchResults results, List<BenchComparison> comparison, BenchVerdict verdict, PerfPlan.Values values) {
        public boolean passed() {
            return "Pass".equals(verdict.result);
        }
    }

    /**
     * What the summary and the cost say, warmup excluded, with the measured part of the run at most {@code planned}
     * long when given: the summary's end comes after the user's teardown and k6's graceful stop, which carry no load.
     */
    public static Measured measure(K6Summary s, Duration warmup, Duration planned, Double cost) {
        Duration window = Duration.between(s.start().plus(warmup), s.end());
        if (planned != null && window.compareTo(planned) > 0) {
            window = planned;
        }
        double seconds = window.toMillis() / 1000.0;
        Double throughput = seconds > 0 ? s.requests() / seconds : null;
        Double costPer1k = cost != null && s.requests() > 0 ? cost / (s.requests() / 1000.0) : null;
        Double errors = s.requests() > 0 ? s.errorRatio() : null;
        return new Measured(
                s.requests(),
                new PerfPlan.Values(seconds(s.p95Millis()), errors, throughput, costPer1k),
                seconds(s.p50Millis()),
                seconds(s.p99Millis()),
                cost,
                s.dropped());
    }

    /**
     * @param baseline the PerfBaseline's values, NONE when there is nothing to compare with
     * @param notes reasons to fail decided before (missing baseline, k6's own thresholds), kept first
     */
    public static Judgement judge(
            Measured m,
            PerfPlan.Values thresholds,
            PerfPlan.Values baseline,
            int maxRegressionPercent,
            List<String> notes) {
        List<String> reasons = new ArrayList<>(notes);
        PerfPlan.Values v = m.values();
        if (m.requests() == 0) {
            reasons.add("no requests completed in the measured part of the run; check spec.target.url and the script");
        }
        above(
                reasons,
                "latencyP95",
                v.latencyP95(),
                thresholds.latencyP95(),
                PerfFormat::latency,
                "spec.thresholds.latencyP95");
        above(
                reasons,
                "errorRatio",
                v.errorRatio(),
                thresholds.errorRatio(),
                PerfFormat::number,
                "spec.thresholds.errorRatio");
        above(
                reasons,
                "costPer1kRequests",
                v.costPer1k(),
                thresholds.costPer1k(),
                PerfFormat::number,
                "spec.thresholds.maxCostPer1kRequests");

        List<BenchComparison> comparison = new ArrayList<>();
        compare(
                comparison,
                reasons,
                "latencyP95",
                baseline.latencyP95(),
                v.latencyP95(),
                true,
                maxRegressionPercent,
                PerfFormat::latency,
                0);
        compare(
                comparison,
                reasons,
                "errorRatio",
                baseline.errorRatio(),
                v.errorRatio(),
                true,
                maxRegressionPercent,
                PerfFormat::number,
                ERROR_RATIO_FLOOR);
        compare(
                comparison,
                reasons,
                "throughput",
                baseline.throughput(),
                v.throughput(),
                false,
                maxRegressionPercent,
                PerfFormat::number,
                0);
        compare(
                comparison,
                reasons,
                "costPer1kRequests",
                baseline.costPer1k(),
                v.costPer1k(),
                true,
                maxRegressionPercent,
                PerfFormat::number,
                0);

        BenchResults r = new BenchResults();
        r.requests = m.requests();
        r.throughput = PerfFormat.number(v.throughput());
        r.latencyP50 = PerfFormat.latency(m.p50());
        r.latencyP95 = PerfFormat.latency(v.latencyP95());
        r.latencyP99 = PerfFormat.latency(m.p99());
        r.errorRatio = PerfFormat.number(v.errorRatio());
        r.droppedIterations = m.dropped() > 0 ? m.dropped() : null;
        r.costUSD = PerfFormat.number(m.cost());
        r.costPer1kRequests = PerfFormat.number(v.costPer1k());
        return new Judgement(r, comparison, new BenchVerdict(reasons.isEmpty() ? "Pass" : "Fail", reasons), v);
    }

    private static void above(
            List<String> reasons,
            String metric,
            Double value,
            Double limit,
            java.util.function.Function<Double, String> format,
            String field) {
        if (limit == null) {
            return;
        }
        if (value == null) {
            reasons.add(
                    metric + " could not be measured, so " + field + " " + format.apply(limit) + " cannot be checked");
        } else if (value > limit + TOLERANCE * Math.max(1, limit)) {
            reasons.add(metric + " " + format.apply(value) + " is above " + field + " " + format.apply(limit));
        }
    }

    private static void compare(
            List<BenchComparison> out,
            List<String> reasons,
            String metric,
            Double baseline,
            Double current,
            boolean higherIsWorse,
            int maxPercent,
            java.util.function.Function<Double, String> format,
            double floor) {
        if (baseline == null || current == null) {
            return;
        }
        BenchComparison c = new BenchComparison();
        c.metric = metric;
        c.baseline = format.apply(baseline);
        c.current = format.apply(current);
        double worse = higherIsWorse ? current - baseline : baseline - current;
        boolean regressed;
        if (baseline == 0) {
            regressed = worse > floor;
        } else {
            c.changePercent = PerfFormat.change(current, baseline);
            double worsePercent = worse / baseline * 100;
            regressed = worse > floor && worsePercent > maxPercent + TOLERANCE;
        }
        c.verdict = regressed ? "Fail" : "Pass";
        out.add(c);
        if (regressed) {
            reasons.add(metric + " " + c.current + " regressed against the baseline " + c.baseline
                    + (c.changePercent == null ? "" : " (" + signed(c.changePercent) + " %)")
                    + ", more than spec.maxRegressionPercent "
                    + maxPercent + " %");
        }
    }

    private static String signed(double percent) {
        return (percent > 0 ? "+" : "") + percent;
    }

    private static Double seconds(Double millis) {
        return millis == null ? null : millis / 1000.0;
    }
}
