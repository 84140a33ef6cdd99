package io.costguard.baseline;

import io.costguard.api.ConditionReason;
import java.time.Instant;

/**
 * What one cycle measured for one workload. {@code unavailable} (with a condition reason) says why the values
 * cannot be judged; {@code invalidField} names a spec.metrics template Prometheus rejected. {@code latencyHistory}
 * holds the p95 over the last latencyFor, ending with {@code latencyP95} at {@code at} (null without latency).
 */
public record Signals(
        Instant at,
        Double latencyP95,
        Double errorRatio,
        Double throughput,
        Double costPerHour,
        ConditionReason unavailableReason,
        String unavailable,
        String invalidField,
        LatencyHistory latencyHistory) {

    public static Signals unavailable(Instant at, ConditionReason reason, String message) {
        return new Signals(at, null, null, null, null, reason, message, null, null);
    }

    public static Signals invalid(Instant at, String field, String message) {
        return new Signals(at, null, null, null, null, ConditionReason.BadQuery, message, field, null);
    }

    public boolean usable() {
        return unavailable == null;
    }

    /** Money per 1000 requests; absent (not 0) without requests or without cost. */
    public Double costPer1k() {
        if (throughput == null || throughput <= 0 || costPerHour == null) {
            return null;
        }
        return costPerHour / (throughput * 3600) * 1000;
    }

    public PerfPlan.Values values() {
        return new PerfPlan.Values(latencyP95, errorRatio, throughput, costPer1k());
    }
}
