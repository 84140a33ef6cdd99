package io.costguard.baseline;

import java.util.Map;
import java.util.TreeMap;

/**
 * A quantile from cumulative histogram buckets (upper bound → rate of observations at or below it), the way
 * PromQL's histogram_quantile estimates it: linear interpolation inside the bucket holding the rank, the last
 * finite bound when the rank falls in +Inf. Summing buckets across pods first gives the workload's quantile.
 */
public final class BucketQuantile {
    private BucketQuantile() {}

    /** Null without observations or without a +Inf bucket. */
    public static Double of(double q, Map<Double, Double> cumulative) {
        TreeMap<Double, Double> b = new TreeMap<>(cumulative);
        if (b.isEmpty() || !b.lastKey().isInfinite()) {
            return null;
        }
        double total = b.lastEntry().getValue();
        if (!(total > 0)) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        double lastFinite = 0;
        double running = 0;
        for (Map.Entry<Double, Double> e : b.entrySet()) {
            // buckets summed from rates can dip by rounding; keep them monotone as histogram_quantile does
            double count = Math.max(running, e.getValue());
            running = count;
            if (count >= rank) {
                if (e.getKey().isInfinite()) {
                    return lastFinite;
                }
                double upper = e.getKey();
                if (lowerBound == 0 && upper <= 0) {
                    return upper;
                }
                double inBucket = count - lowerCount;
                return inBucket <= 0 ? upper : lowerBound + (upper - lowerBound) * (rank - lowerCount) / inBucket;
            }
            if (!e.getKey().isInfinite()) {
                lastFinite = e.getKey();
            }
            lowerBound = e.getKey();
            lowerCount = count;
        }
        return lastFinite;
    }
}
