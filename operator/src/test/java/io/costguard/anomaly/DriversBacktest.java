package io.costguard.anomaly;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How often the drivers name the combination that caused an anomaly, on generated scopes: 2-40 tenants of very
 * different sizes (1 to 100 a day), each with its own weekly shape, trend and noise, over 70 days. On one day a
 * chosen tenant's spend jumps by 10-100 % of the whole scope's day, or (one case in five) a new tenant starts
 * with that much; the same day another tenant moves on its own, up or down by up to 15 % of the scope's day (a
 * distractor). Only days the detector flags on the scope's total are attributed, as in the operator.
 *
 * <p>Run: {@code scripts/benchmark.sh drivers [SCOPES]} (see docs/benchmarks.md).
 */
public final class DriversBacktest {
    /** {@code flagged} planted days the detector flagged; of those, how often the cause was first or in the top 3. */
    public record Result(int planted, int flagged, int first, int inTop, double medianShare, double nanosPerDay) {
        public double firstRate() {
            return first / (double) Math.max(1, flagged);
        }
    }

    public static Result run(int scopes) {
        AnomalyDetector detector = new AnomalyDetector();
        int flagged = 0;
        int first = 0;
        int inTop = 0;
        double[] shares = new double[scopes];
        long nanos = 0;
        for (int s = 0; s < scopes; s++) {
            SplittableRandom r = new SplittableRandom(9100 + s);
            int days = 70;
            int tenants = 2 + r.nextInt(39);
            boolean newTenant = r.nextInt(5) == 0;
            int spikeDay = 21 + r.nextInt(days - 21);
            Map<String, double[]> daily = new LinkedHashMap<>();
            double[] total = new double[days];
            for (int t = 0; t < tenants; t++) {
                double level = Math.pow(10, r.nextDouble() * 2);
                double weekend = r.nextDouble() * 0.6;
                double trend = (r.nextDouble() - 0.4) * 0.01;
                double noise = 0.01 + r.nextDouble() * 0.07;
                double[] d = new double[days];
                for (int i = 0; i < days; i++) {
                    d[i] = level
                            * (1 + trend * i)
                            * (i % 7 >= 5 ? 1 - weekend : 1)
                            * (1 + noise * (r.nextDouble() * 2 - 1));
                    total[i] += d[i];
                }
                daily.put("tenant-" + t, d);
            }
            String cause = newTenant ? "tenant-new" : "tenant-" + r.nextInt(tenants);
            if (newTenant) {
                daily.put(cause, new double[days]);
            }
            double extra = (0.1 + r.nextDouble() * 0.9) * total[spikeDay];
            daily.get(cause)[spikeDay] += extra;
            total[spikeDay] += extra;
            double[] other = daily.get("tenant-" + r.nextInt(tenants));
            double move = Math.max(-other[spikeDay], (r.nextDouble() * 2 - 1) * 0.15 * total[spikeDay]);
            other[spikeDay] += move;
            total[spikeDay] += move;

            double[] upTo = Arrays.copyOf(total, spikeDay + 1);
            if (detector.detect(upTo, null, AnomalyDetector.Limits.DEFAULT, 1).isEmpty()) {
                continue;
            }
            long t0 = System.nanoTime();
            List<Drivers.Driver<String>> drivers =
                    Drivers.onDay(daily, null, spikeDay, Direction.Increase, Drivers.TOP);
            nanos += System.nanoTime() - t0;
            shares[flagged++] = drivers.isEmpty() || !drivers.get(0).key().equals(cause)
                    ? 0
                    : drivers.get(0).sharePercent();
            if (!drivers.isEmpty() && drivers.get(0).key().equals(cause)) {
                first++;
            }
            if (drivers.stream().anyMatch(d -> d.key().equals(cause))) {
                inTop++;
            }
        }
        double[] s = Arrays.copyOf(shares, flagged);
        Arrays.sort(s);
        double median = flagged == 0 ? Double.NaN : s[flagged / 2];
        return new Result(scopes, flagged, first, inTop, median, nanos / (double) Math.max(1, flagged));
    }

    public static void main(String[] args) {
        int scopes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        run(300); // warm-up
        Result r = run(scopes);
        System.out.printf(
                Locale.ROOT,
                "scopes %d (2-40 tenants, 70 days), planted spikes flagged by the detector %d%n",
                r.planted(),
                r.flagged());
        System.out.printf(
                Locale.ROOT,
                "cause named first %d (%.1f %%), in the top %d %d (%.1f %%), median share %.0f %%%n",
                r.first(),
                100 * r.firstRate(),
                Drivers.TOP,
                r.inTop(),
                100.0 * r.inTop() / Math.max(1, r.flagged()),
                r.medianShare());
        System.out.printf(Locale.ROOT, "time to attribute a day: %.1f µs%n", r.nanosPerDay() / 1000);
    }
}
