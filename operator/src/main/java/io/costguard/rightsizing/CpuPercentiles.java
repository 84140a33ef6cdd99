package io.costguard.rightsizing;

import java.util.Arrays;

/**
 * A container's CPU usage over its lookback as the nearest-rank percentiles spec.rightsizing.percentile may name
 * (50 to 100), not the samples: a week at 5 minutes is about 2,000 samples per pod, kilobytes per container for each
 * PerfBaseline held between reads, where these are 51 numbers whatever the pods and lookback.
 */
public record CpuPercentiles(double[] byPercentile, int samples) {
    public static final int LOWEST = 50;
    public static final int HIGHEST = 100;
    public static final CpuPercentiles NONE = new CpuPercentiles(new double[0], 0);

    public static CpuPercentiles of(double[] samples) {
        if (samples.length == 0) {
            return NONE;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        double[] at = new double[HIGHEST - LOWEST + 1];
        for (int p = LOWEST; p <= HIGHEST; p++) {
            // ceil(p × n / 100) in integers: p / 100.0 × n is 57.00000000000001 for p = 57, n = 100
            long rank = ((long) p * sorted.length + 99) / 100;
            at[p - LOWEST] = sorted[(int) Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
        return new CpuPercentiles(at, samples.length);
    }

    /** The nearest-rank {@code p}th percentile of the samples (50 ≤ p ≤ 100); there must be samples. */
    public double at(int p) {
        if (samples == 0 || p < LOWEST || p > HIGHEST) {
            throw new IllegalArgumentException("no percentile " + p + " of " + samples + " samples");
        }
        return byPercentile[p - LOWEST];
    }
}
