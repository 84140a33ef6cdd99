package io.costguard.baseline;

import io.costguard.prometheus.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One namespace's latency-bucket answer summed over each workload's pods: per workload a table of time step × bucket
 * bound in one array (NaN where no pod had that bucket at that step), so a cycle over hundreds of workloads adds
 * primitives instead of building a map per step.
 */
final class LatencyBuckets {
    private final long[] times;
    private final double[] bounds;
    private final Map<String, double[]> sums;

    private LatencyBuckets(long[] times, double[] bounds, Map<String, double[]> sums) {
        this.times = times;
        this.bounds = bounds;
        this.sums = sums;
    }

    /**
     * Sums the series (one per pod and bound, labelled {@code le}) by the workload {@code owner} names; series of no
     * workload or with an unreadable bound are left out.
     */
    static LatencyBuckets of(List<Series> series, Function<Series, String> owner) {
        record Kept(Series series, String workload, double le) {}
        List<Kept> kept = new ArrayList<>();
        TreeSet<Double> allBounds = new TreeSet<>();
        TreeSet<Long> allTimes = new TreeSet<>();
        long[] seen = null;
        // every pod has the same few bounds: each text is parsed once
        Map<String, Double> les = new HashMap<>();
        for (Series s : series) {
            String w = owner.apply(s);
            String text = s.labels().get("le");
            Double le = text == null ? null : les.computeIfAbsent(text, LatencyBuckets::parseLe);
            if (w == null || le == null) {
                continue;
            }
            kept.add(new Kept(s, w, le));
            allBounds.add(le);
            // the series of one range query share their steps; each new set of timestamps is added once
            if (seen == null || !Arrays.equals(seen, s.timestamps())) {
                for (long t : s.timestamps()) {
                    allTimes.add(t);
                }
                seen = s.timestamps();
            }
        }
        long[] times = allTimes.stream().mapToLong(Long::longValue).toArray();
        double[] bounds = allBounds.stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, double[]> sums = new HashMap<>();
        for (Kept k : kept) {
            Series s = k.series();
            double[] cells = sums.computeIfAbsent(k.workload(), w -> {
                double[] a = new double[times.length * bounds.length];
                Arrays.fill(a, Double.NaN);
                return a;
            });
            int b = Arrays.binarySearch(bounds, k.le());
            for (int i = 0; i < s.size(); i++) {
                int cell = Arrays.binarySearch(times, s.timestamps()[i]) * bounds.length + b;
                cells[cell] = Double.isNaN(cells[cell]) ? s.values()[i] : cells[cell] + s.values()[i];
            }
        }
        return new LatencyBuckets(times, bounds, sums);
    }

    /** The workload's p95 at each step where its buckets give one, oldest first. */
    LatencyHistory p95(String workload, Duration step) {
        double[] cells = sums.get(workload);
        long[] at = new long[times.length];
        double[] values = new double[times.length];
        int n = 0;
        for (int t = 0; cells != null && t < times.length; t++) {
            Double p95 = BucketQuantile.of(0.95, bounds, cells, t * bounds.length);
            if (p95 != null) {
                at[n] = times[t];
                values[n++] = p95;
            }
        }
        return LatencyHistory.of(step, at, values, n);
    }

    static Double parseLe(String le) {
        if (le == null) {
            return null;
        }
        try {
            return "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
