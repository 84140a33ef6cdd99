package io.costguard.baseline;

import java.util.Map;

/**
 * A quantile from cumulative histogram buckets (upper bound → rate of observations at or below it), the way
 * PromQL's histogram_quantile estimates it: linear interpolation inside the bucket holding the rank, the last
 * finite bound when the rank falls in +Inf. Summing buckets across pods first gives the workload's quantile.
 */
public final class BucketQuantile {
    private BucketQuantile() {}

    /** Null without observations or without a +Inf bucket. */
    public static Double of(double q, Map<Double, Double> cumulative) {
        double[] bounds = cumulative.keySet().stream()
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        double[] counts = new double[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            counts[i] = cumulative.get(bounds[i]);
        }
        return of(q, bounds, counts, 0);
    }

    /**
     * The same over arrays: {@code bounds} ascending and distinct, {@code counts[offset + i]} the cumulative count at
     * {@code bounds[i]}, NaN where that bucket has no sample (it is skipped, as if absent from the map).
     */
    static Double of(double q, double[] bounds, double[] counts, int offset) {
        int last = bounds.length - 1;
        while (last >= 0 && Double.isNaN(counts[offset + last])) {
            last--;
        }
        if (last < 0 || !Double.isInfinite(bounds[last])) {
            return null;
        }
        double total = counts[offset + last];
        if (!(total > 0)) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        double lastFinite = 0;
        double running = 0;
        for (int i = 0; i <= last; i++) {
            double value = counts[offset + i];
            if (Double.isNaN(value)) {
                continue;
            }
            double bound = bounds[i];
            // buckets summed from rates can dip by rounding; keep them monotone as histogram_quantile does
            double count = Math.max(running, value);
            running = count;
            if (count >= rank) {
                if (Double.isInfinite(bound)) {
                    return lastFinite;
                }
                if (lowerBound == 0 && bound <= 0) {
                    return bound;
                }
                double inBucket = count - lowerCount;
                return inBucket <= 0 ? bound : lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket;
            }
            if (!Double.isInfinite(bound)) {
                lastFinite = bound;
            }
            lowerBound = bound;
            lowerCount = count;
        }
        return lastFinite;
    }
}
