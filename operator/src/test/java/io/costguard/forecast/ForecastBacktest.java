package io.costguard.forecast;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Backtest of the end-of-period forecast against run-rate and seasonal-naive, on generated series with
 * trend, seasonality, noise and gaps: monthly periods, four weeks of history before each, forecasts made
 * after a third and after half of the period. Also the time per forecast.
 *
 * <p>Run: {@code scripts/benchmark.sh forecast} (see docs/benchmarks.md).
 */
public final class ForecastBacktest {
    /** Mean absolute percentage errors at one point of the period. */
    public record Errors(double model, double runRate, double seasonalNaive, int cases) {
        double betterBaseline() {
            return Math.min(runRate, seasonalNaive);
        }
    }

    public record Result(Errors atThird, Errors atHalf, double nanosPerForecast) {}

    public static Result run(int series) {
        Forecaster f = new Forecaster();
        double[][] sums = new double[2][3];
        int cases = 0;
        long forecasts = 0;
        long nanos = 0;
        for (int s = 0; s < series; s++) {
            // each series: a month that starts on a random first of month in 2025-2026, with 4 weeks before it
            int month = s % 20;
            ZonedDateTime periodStart =
                    ZonedDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMonths(month);
            ZonedDateTime periodEnd = periodStart.plusMonths(1);
            long startHour = periodStart.toEpochSecond() / 3600;
            long endHour = periodEnd.toEpochSecond() / 3600;
            long firstHour = startHour - 28 * 24;
            double[] all = SyntheticCostSeries.generate(1000 + s, firstHour, (int) (endHour - firstHour));
            double actual = 0;
            for (long h = startHour; h < endHour; h++) {
                actual += all[(int) (h - firstHour)];
            }
            int periodHours = (int) (endHour - startHour);
            double[] at = {1 / 3.0, 1 / 2.0};
            for (int k = 0; k < 2; k++) {
                int elapsed = (int) Math.round(periodHours * at[k]);
                long through = startHour + elapsed;
                double spent = 0;
                for (long h = startHour; h < through; h++) {
                    spent += all[(int) (h - firstHour)];
                }
                double[] history = java.util.Arrays.copyOf(all, (int) (through - firstHour));
                long t0 = System.nanoTime();
                Forecaster.Result r = f.forecast(history, firstHour, spent, through * 3600, endHour * 3600);
                nanos += System.nanoTime() - t0;
                forecasts++;
                double model = ((Forecaster.Forecast) r).endOfPeriod();
                double runRate = spent / elapsed * periodHours;
                double naive = spent;
                for (long h = through; h < endHour; h++) {
                    naive += all[(int) (h - 168 - firstHour)];
                }
                sums[k][0] += Math.abs(model - actual) / actual;
                sums[k][1] += Math.abs(runRate - actual) / actual;
                sums[k][2] += Math.abs(naive - actual) / actual;
            }
            cases++;
        }
        Errors third = new Errors(sums[0][0] / cases, sums[0][1] / cases, sums[0][2] / cases, cases);
        Errors half = new Errors(sums[1][0] / cases, sums[1][1] / cases, sums[1][2] / cases, cases);
        return new Result(third, half, nanos / (double) forecasts);
    }

    /**
     * The operator's hourly cycle: each series forecast once per new hour over one day (the 24 hours after the
     * first third of its period), by one forecaster instance that remembers each series' replay for the day
     * ({@code cached}) or by one that remembers nothing. Nanoseconds per forecast; the results are the same.
     */
    public static double hourlyCycle(int series, boolean cached) {
        Forecaster f = cached ? new Forecaster() : new Forecaster(0);
        long nanos = 0;
        int forecasts = 0;
        for (int s = 0; s < series; s++) {
            ZonedDateTime periodStart =
                    ZonedDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusMonths(s % 20);
            long startHour = periodStart.toEpochSecond() / 3600;
            long endHour = periodStart.plusMonths(1).toEpochSecond() / 3600;
            long firstHour = startHour - 28 * 24;
            double[] all = SyntheticCostSeries.generate(1000 + s, firstHour, (int) (endHour - firstHour));
            long day = startHour + (endHour - startHour) / 3 / 24 * 24;
            for (long through = day + 1; through <= day + 24; through++) {
                double[] history = java.util.Arrays.copyOf(all, (int) (through - firstHour));
                double spent = 0;
                for (long h = startHour; h < through; h++) {
                    spent += all[(int) (h - firstHour)];
                }
                long t0 = System.nanoTime();
                f.forecast(history, firstHour, spent, startHour * 3600, through * 3600, endHour * 3600);
                nanos += System.nanoTime() - t0;
                forecasts++;
            }
        }
        return nanos / (double) forecasts;
    }

    public static void main(String[] args) {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        run(500); // warm-up: let the JIT compile the forecaster before timing it
        Result r = run(series);
        System.out.printf(Locale.ROOT, "series %d (monthly periods, 4 weeks of history before each)%n", series);
        print("after 1/3 of the period", r.atThird());
        print("after 1/2 of the period", r.atHalf());
        System.out.printf(Locale.ROOT, "time per forecast: %.1f µs%n", r.nanosPerForecast() / 1000);
        int cycleSeries = Math.max(1, series / 10);
        hourlyCycle(cycleSeries, true); // warm-up
        double cold = hourlyCycle(cycleSeries, false);
        double warm = hourlyCycle(cycleSeries, true);
        System.out.printf(
                Locale.ROOT,
                "hourly cycle, %d series x 24 hours: %.1f µs per forecast with the day's replay"
                        + " remembered, %.1f µs replaying every hour (ratio %.3f)%n",
                cycleSeries,
                warm / 1000,
                cold / 1000,
                warm / cold);
    }

    static void print(String when, Errors e) {
        System.out.printf(
                Locale.ROOT,
                "%-24s MAPE model %.2f %%, run-rate %.2f %%, seasonal-naive %.2f %%; model vs better baseline: %.0f %% lower%n",
                when,
                100 * e.model(),
                100 * e.runRate(),
                100 * e.seasonalNaive(),
                100 * (1 - e.model() / e.betterBaseline()));
    }
}
