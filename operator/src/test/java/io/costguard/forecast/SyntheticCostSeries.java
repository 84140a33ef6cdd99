package io.costguard.forecast;

import java.util.SplittableRandom;

/**
 * Hourly cost series for backtests: a base level with linear trend, daily and weekly seasonality,
 * multiplicative noise and gaps (hours recorded as 0, as an outage leaves them). Deterministic per seed.
 */
final class SyntheticCostSeries {
    private SyntheticCostSeries() {}

    /** {@code hours} values starting at epoch hour {@code firstHour}. */
    static double[] generate(long seed, long firstHour, int hours) {
        SplittableRandom r = new SplittableRandom(seed);
        double base = 1 + r.nextDouble() * 20; // 1-21 per hour
        double trendPerDay = (r.nextDouble() - 0.3) * 0.02; // -0.6 % .. +1.4 % a day
        double dailyAmp = 0.2 + r.nextDouble() * 0.5; // business-hours swing
        double weekendDip = r.nextDouble() * 0.5; // up to -50 % on weekends
        double noise = 0.05 + r.nextDouble() * 0.15;
        double[] out = new double[hours];
        int gapsLeft = 0;
        for (int i = 0; i < hours; i++) {
            long hour = firstHour + i;
            int hourOfDay = (int) Math.floorMod(hour, 24);
            int dayOfWeek =
                    (int) Math.floorMod(Math.floorDiv(hour, 24) + 3, 7); // 0 = Monday (1970-01-01 was a Thursday)
            double daily = 1 + dailyAmp * Math.sin((hourOfDay - 8) * Math.PI / 12);
            double weekly = dayOfWeek >= 5 ? 1 - weekendDip : 1;
            double trend = 1 + trendPerDay * i / 24.0;
            double v = base * Math.max(0.05, trend) * daily * weekly * (1 + noise * (r.nextDouble() * 2 - 1));
            if (gapsLeft == 0 && r.nextInt(500) == 0) {
                gapsLeft = 1 + r.nextInt(6);
            }
            if (gapsLeft > 0) {
                gapsLeft--;
                v = 0;
            }
            out[i] = Math.max(0, v);
        }
        return out;
    }
}
