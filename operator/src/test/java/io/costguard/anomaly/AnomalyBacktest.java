package io.costguard.anomaly;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Precision and recall of the anomaly detector on generated daily spend (trend, weekly seasonality,
 * noise) with injected spikes of 1.5-3 times a day's spend, and its time per judged week. Only increases are
 * injected: with direction Both, the day after a spike (back to normal, a day-over-day drop) counts as a false
 * alarm here.
 *
 * <p>Run: {@code scripts/benchmark.sh anomalies} (see docs/benchmarks.md).
 */
public final class AnomalyBacktest {
    /** Spikes start after two weeks, as when the detector needed a week of history, so figures stay comparable. */
    static final int FIRST_SPIKE = 14;

    public record Result(double precision, double recall, int injected, int flagged, double nanosPerWeek) {}

    public static Result run(int series, AnomalyDetector.Limits limits) {
        AnomalyDetector detector = new AnomalyDetector();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        long nanos = 0;
        int weeks = 0;
        for (int s = 0; s < series; s++) {
            SplittableRandom r = new SplittableRandom(7000 + s);
            int days = 70;
            double base = 10 + r.nextDouble() * 500;
            double trend = (r.nextDouble() - 0.3) * 0.02;
            double weekend = r.nextDouble() * 0.5;
            double noise = 0.01 + r.nextDouble() * 0.05; // daily totals: hourly noise mostly averages out
            double[] d = new double[days];
            Set<Integer> spikes = new HashSet<>();
            for (int i = 0; i < days; i++) {
                d[i] = base * (1 + trend * i) * (i % 7 >= 5 ? 1 - weekend : 1) * (1 + noise * (r.nextDouble() * 2 - 1));
                if (i >= FIRST_SPIKE && r.nextInt(20) == 0) {
                    d[i] *= 1.5 + r.nextDouble() * 1.5;
                    spikes.add(i);
                }
            }
            // judge week by week, as the operator does once a day over the last week
            Set<Integer> flagged = new HashSet<>();
            for (int end = FIRST_SPIKE; end <= days; end += 7) {
                double[] upTo = java.util.Arrays.copyOf(d, end);
                long t0 = System.nanoTime();
                for (AnomalyDetector.Anomaly a : detector.detect(upTo, null, limits, 7)) {
                    flagged.add(a.day());
                }
                nanos += System.nanoTime() - t0;
                weeks++;
            }
            for (int i : flagged) {
                if (spikes.contains(i)) {
                    tp++;
                } else {
                    fp++;
                }
            }
            for (int i : spikes) {
                if (!flagged.contains(i)) {
                    fn++;
                }
            }
        }
        return new Result(
                tp / (double) Math.max(1, tp + fp),
                tp / (double) Math.max(1, tp + fn),
                tp + fn,
                tp + fp,
                nanos / (double) weeks);
    }

    public static void main(String[] args) {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        run(300, AnomalyDetector.Limits.DEFAULT); // warm-up
        for (AnomalyDetector.Direction direction :
                List.of(AnomalyDetector.Direction.INCREASE, AnomalyDetector.Direction.BOTH)) {
            Result r = run(series, new AnomalyDetector.Limits(3.0, 20, direction));
            System.out.printf(
                    Locale.ROOT,
                    "direction %s: series %d (70 days each), injected spikes %d, flagged days %d%n",
                    direction,
                    series,
                    r.injected(),
                    r.flagged());
            System.out.printf(Locale.ROOT, "precision %.3f, recall %.3f%n", r.precision(), r.recall());
            System.out.printf(Locale.ROOT, "time to judge a week: %.1f µs%n", r.nanosPerWeek() / 1000);
        }
    }
}
