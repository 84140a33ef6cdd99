package io.costguard.rightsizing;

import java.util.Arrays;
import java.util.List;

/**
 * A container's CPU usage over its lookback as percentiles (50 to 100, the ones spec.rightsizing.percentile may name),
 * not the samples: 51 numbers at most whatever the pods and lookback. Computed here from samples (every percentile,
 * nearest rank), or read from Prometheus per pod for the one percentile a spec names and combined across the pods
 * ({@link #acrossPods}); a percentile that was not read is absent ({@link #has}).
 */
public record CpuPercentiles(double[] byPercentile, int samples) {
    public static final int LOWEST = 50;
    public static final int HIGHEST = 100;
    public static final CpuPercentiles NONE = new CpuPercentiles(new double[0], 0);

    /** One pod's figures for a container: its percentile of CPU cores, how many samples it had, when the first was. */
    public record Pod(double cores, int samples, long firstSample) {}

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

    /**
     * The {@code p}th percentile of a container across its pods, from each pod's own: the highest of the pods that ran
     * at least {@code minSamples} samples (of all pods when none did). When every pod counts, that is never below the
     * percentile of all their samples pooled (at that value every pod has at least p % of its samples at or below it,
     * so all pods together do too), and it equals the pooled one when the pods behave alike, as replicas behind one
     * Service do; a pod that ran only minutes (a crash loop, a pod replaced at once) does not lift it with its startup.
     */
    public static CpuPercentiles acrossPods(List<Pod> pods, int p, int minSamples) {
        if (p < LOWEST || p > HIGHEST) {
            throw new IllegalArgumentException("no percentile " + p);
        }
        int total = 0;
        double highest = Double.NEGATIVE_INFINITY;
        double highestLongRunning = Double.NEGATIVE_INFINITY;
        for (Pod pod : pods) {
            if (pod.samples() <= 0) {
                continue;
            }
            total += pod.samples();
            highest = Math.max(highest, pod.cores());
            if (pod.samples() >= minSamples) {
                highestLongRunning = Math.max(highestLongRunning, pod.cores());
            }
        }
        if (total == 0) {
            return NONE;
        }
        double[] at = new double[HIGHEST - LOWEST + 1];
        Arrays.fill(at, Double.NaN);
        at[p - LOWEST] = Math.max(0, highestLongRunning > Double.NEGATIVE_INFINITY ? highestLongRunning : highest);
        return new CpuPercentiles(at, total);
    }

    /** Whether the {@code p}th percentile is known. */
    public boolean has(int p) {
        return samples > 0 && p >= LOWEST && p <= HIGHEST && !Double.isNaN(byPercentile[p - LOWEST]);
    }

    /** The {@code p}th percentile (50 ≤ p ≤ 100); it must be known ({@link #has}). */
    public double at(int p) {
        if (!has(p)) {
            throw new IllegalArgumentException("no percentile " + p + " of " + samples + " samples");
        }
        return byPercentile[p - LOWEST];
    }
}
