package io.costguard.baseline;

import io.costguard.rightsizing.Rightsizer;
import java.time.Duration;

/** A validated PerfBaseline spec in plain values: seconds, ratios, requests per second, money per 1000 requests. */
public record PerfPlan(
        String kind,
        String workload,
        Queries queries,
        Values slo,
        Values pinnedBaseline,
        Regression regression,
        boolean notifies,
        boolean freeze,
        boolean freezeNamespace,
        Rightsizing rightsizing) {

    /** PromQL templates from spec.metrics; null means the default over the request-duration histogram. */
    public record Queries(String latencyP95, String errorRatio, String throughput) {
        public boolean allDefault() {
            return latencyP95 == null && errorRatio == null && throughput == null;
        }
    }

    /**
     * Four signals, any of them absent (null). As an SLO: latency and error ratio are maxima, throughput a minimum,
     * cost per 1k a maximum.
     */
    public record Values(Double latencyP95, Double errorRatio, Double throughput, Double costPer1k) {
        public static final Values NONE = new Values(null, null, null, null);

        public boolean isEmpty() {
            return latencyP95 == null && errorRatio == null && throughput == null && costPer1k == null;
        }
    }

    /** Regression thresholds; {@code consecutive} evaluations must agree before a regression counts or clears. */
    public record Regression(
            int latencyPercent,
            Duration latencyFor,
            int throughputPercent,
            double errorRatio,
            int costPerUnitPercent,
            int consecutive) {}

    public enum Mode {
        Off,
        Recommend,
        Apply
    }

    public record Rightsizing(Mode mode, Rightsizer.Settings settings, Duration lookback) {}
}
