package io.costguard.forecast;

import io.costguard.realseries.RealSeries;
import io.costguard.realseries.RealSeries.ForecastCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Backtest of the end-of-period forecast on the real series (NAB, see src/test/resources/real-series) with the
 * protocol of RealSeries.forecastCases: every calendar month (ISO week for series shorter than three months), as
 * of 1/3 and 1/2 of it, from all data before that point. Scored next to three simple methods computed here on
 * the same cases: run-rate, seasonal-naive and the mean of the same hour of week over the last four weeks; all
 * of them skip missing hours (NaN) rather than count them as zero. Also the 80 % interval's coverage and width.
 *
 * <p>Run: {@code scripts/benchmark.sh forecast-real} (see docs/benchmarks.md).
 */
public final class RealForecastBacktest {
    static final int WEEK = 168;

    /** One scored case: truth and each method's end-of-period total. */
    public record Scored(
            ForecastCase c,
            double truth,
            double model,
            double low,
            double high,
            boolean forecast,
            double runRate,
            double seasonalNaive,
            double hourOfWeek,
            long nanos) {
        boolean covered() {
            return low <= truth && truth <= high;
        }
    }

    /** Mean absolute percentage errors and the interval's coverage and mean width (share of the truth). */
    public record Summary(
            String label,
            int cases,
            double model,
            double runRate,
            double seasonalNaive,
            double hourOfWeek,
            double coverage,
            double width,
            double medianWidth,
            int noForecast) {
        double bestBaseline() {
            return Math.min(runRate, Math.min(seasonalNaive, hourOfWeek));
        }
    }

    private RealForecastBacktest() {}

    public static List<Scored> run(List<RealSeries.Hourly> series) {
        Forecaster f = new Forecaster();
        List<Scored> out = new ArrayList<>();
        for (RealSeries.Hourly s : series) {
            for (ForecastCase c : RealSeries.forecastCases(s)) {
                out.add(score(f, c));
            }
        }
        return out;
    }

    static Scored score(Forecaster f, ForecastCase c) {
        double[] history = c.history();
        double spent = c.spent();
        long t0 = System.nanoTime();
        Forecaster.Result r = f.forecast(
                history, c.series().firstHour(), spent, c.startHour() * 3600, c.asOfHour() * 3600, c.endHour() * 3600);
        long nanos = System.nanoTime() - t0;
        double runRate = runRate(history, c);
        double model = runRate;
        double low = runRate;
        double high = runRate;
        boolean forecast = r instanceof Forecaster.Forecast;
        if (r instanceof Forecaster.Forecast fc) {
            model = fc.endOfPeriod();
            low = fc.low();
            high = fc.high();
        }
        double known = knownShareLeft(c);
        return new Scored(
                c,
                c.truth(),
                onKnownHours(model, c, known),
                onKnownHours(low, c, known),
                onKnownHours(high, c, known),
                forecast,
                onKnownHours(runRate, c, known),
                onKnownHours(seasonalNaive(history, c), c, known),
                onKnownHours(hourOfWeekMean(history, c), c, known),
                nanos);
    }

    /**
     * The share of the hours left whose truth is known (has data). A missing hour is missing, not zero spend, so
     * the period's total is known only on its hours with data: every method is scored on those, its forecast of
     * the hours left counted in this share (the same rule for all of them). Without it, a month that misses 215
     * of its 480 hours left after the forecast made every method about 40 % high against a truth holding those
     * hours as zero.
     */
    static double knownShareLeft(ForecastCase c) {
        int known = 0;
        for (long h = c.asOfHour(); h < c.endHour(); h++) {
            known += Double.isNaN(c.series().at(h)) ? 0 : 1;
        }
        return known / (double) (c.endHour() - c.asOfHour());
    }

    /** A forecast of the period's total (spent + hours left) counted on the hours left that have data. */
    static double onKnownHours(double endOfPeriod, ForecastCase c, double knownShare) {
        return c.spent() + (endOfPeriod - c.spent()) * knownShare;
    }

    /** Spent plus the mean of the period's hours with data so far for each hour left. */
    static double runRate(double[] history, ForecastCase c) {
        double sum = 0;
        int n = 0;
        for (long h = c.startHour(); h < c.asOfHour(); h++) {
            double v = history[(int) (h - c.series().firstHour())];
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return c.spent() + (n == 0 ? 0 : sum / n * (c.endHour() - c.asOfHour()));
    }

    /** Each hour left is the latest hour with data at the same hour of week (last week's, repeated weekly). */
    static double seasonalNaive(double[] history, ForecastCase c) {
        return c.spent()
                + sumLeft(history, c, hour -> {
                    for (long back = hour - WEEK; back >= c.series().firstHour(); back -= WEEK) {
                        if (back < c.asOfHour()
                                && !Double.isNaN(
                                        history[(int) (back - c.series().firstHour())])) {
                            return history[(int) (back - c.series().firstHour())];
                        }
                    }
                    return Double.NaN;
                });
    }

    /** Each hour left is the mean of the same hour of week over the last four weeks (those with data). */
    static double hourOfWeekMean(double[] history, ForecastCase c) {
        long from = Math.max(c.series().firstHour(), c.asOfHour() - 4 * WEEK);
        return c.spent()
                + sumLeft(history, c, hour -> {
                    double sum = 0;
                    int n = 0;
                    for (long back = hour - WEEK; back >= from; back -= WEEK) {
                        double v = back < c.asOfHour()
                                ? history[(int) (back - c.series().firstHour())]
                                : Double.NaN;
                        if (!Double.isNaN(v)) {
                            sum += v;
                            n++;
                        }
                    }
                    return n == 0 ? Double.NaN : sum / n;
                });
    }

    /**
     * Sum over the hours left of {@code perHour}; an hour it cannot say (no same hour of week with data yet) gets
     * the mean of the last week's hours with data, so a method is never scored on a hole.
     */
    private static double sumLeft(double[] history, ForecastCase c, Function<Long, Double> perHour) {
        double sum = 0;
        int n = 0;
        for (int i = Math.max(0, history.length - WEEK); i < history.length; i++) {
            if (!Double.isNaN(history[i])) {
                sum += history[i];
                n++;
            }
        }
        double fallback = n == 0 ? 0 : sum / n;
        double total = 0;
        for (long h = c.asOfHour(); h < c.endHour(); h++) {
            double v = perHour.apply(h);
            total += Double.isNaN(v) ? fallback : v;
        }
        return total;
    }

    public static Summary summarize(String label, List<Scored> cases) {
        double[] sums = new double[6];
        int noForecast = 0;
        for (Scored s : cases) {
            sums[0] += ape(s.model(), s.truth());
            sums[1] += ape(s.runRate(), s.truth());
            sums[2] += ape(s.seasonalNaive(), s.truth());
            sums[3] += ape(s.hourOfWeek(), s.truth());
            sums[4] += s.covered() ? 1 : 0;
            sums[5] += (s.high() - s.low()) / s.truth();
            noForecast += s.forecast() ? 0 : 1;
        }
        int n = cases.size();
        double medianWidth = Forecaster.median(cases.stream()
                .mapToDouble(c -> (c.high() - c.low()) / c.truth())
                .toArray());
        return new Summary(
                label,
                n,
                sums[0] / n,
                sums[1] / n,
                sums[2] / n,
                sums[3] / n,
                sums[4] / n,
                sums[5] / n,
                medianWidth,
                noForecast);
    }

    static double ape(double forecast, double truth) {
        return Math.abs(forecast - truth) / truth;
    }

    /** Overall, per group (in the protocol's order) and per series. */
    public static List<Summary> tables(List<Scored> cases) {
        List<Summary> out = new ArrayList<>();
        out.add(summarize("all cases", cases));
        Map<String, List<Scored>> groups = new LinkedHashMap<>();
        for (String g : List.of("month 1/3", "month 1/2", "week 1/3", "week 1/2")) {
            groups.put(g, new ArrayList<>());
        }
        Map<String, List<Scored>> bySeries = new LinkedHashMap<>();
        for (Scored s : cases) {
            groups.get(s.c().group()).add(s);
            bySeries.computeIfAbsent(s.c().series().name(), k -> new ArrayList<>())
                    .add(s);
        }
        groups.forEach((g, list) -> {
            if (!list.isEmpty()) {
                out.add(summarize(g, list));
            }
        });
        bySeries.forEach((name, list) -> out.add(summarize(name, list)));
        return out;
    }

    /** Each model of the combination alone, on the same cases (what the weights choose from). */
    static void models(List<Scored> cases) {
        Forecaster.Model[] all = Forecaster.Model.values();
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Scored s : cases) {
            ForecastCase c = s.c();
            double[] h = c.history();
            int use = Math.min(h.length, Forecaster.MAX_HOURS);
            double[] x = java.util.Arrays.copyOfRange(h, h.length - use, h.length);
            long x0 = c.series().firstHour() + h.length - use;
            Forecaster.Series series = new Forecaster.Series(x, x0, Forecaster.Series.caps(x, x0));
            int o = x.length;
            int ps = o - (int) (c.asOfHour() - c.startHour());
            double[] p = Forecaster.components(series, ps, o, c.endHour() - c.asOfHour());
            for (String key : List.of("all cases", c.group())) {
                double[] acc = sums.computeIfAbsent(key, k -> new double[all.length + 1]);
                for (int m = 0; m < all.length; m++) {
                    double endOfPeriod = c.spent() + (Double.isNaN(p[m]) ? p[0] : p[m]);
                    acc[m] += ape(onKnownHours(endOfPeriod, c, knownShareLeft(c)), s.truth());
                }
                acc[all.length]++;
            }
        }
        sums.forEach((key, acc) -> {
            StringBuilder b = new StringBuilder(key);
            for (int m = 0; m < all.length; m++) {
                b.append(String.format(Locale.ROOT, " | %s %.1f %%", all[m].label, 100 * acc[m] / acc[all.length]));
            }
            System.out.println(b);
        });
    }

    public static void main(String[] args) {
        List<RealSeries.Hourly> series = RealSeries.all(RealSeries.Corpus.of(args));
        run(series); // warm-up: let the JIT compile the forecaster before timing it
        List<Scored> cases = run(series);
        System.out.printf(
                Locale.ROOT,
                "%d cases on %d series (MAPE; the 80 %% interval's coverage and mean width"
                        + " as a share of the truth)%n%n",
                cases.size(),
                cases.stream().map(s -> s.c().series().name()).distinct().count());
        System.out.println("| cases | n | costguard | run-rate | seasonal-naive | hour-of-week mean, 4 weeks "
                + "| costguard ÷ best baseline | coverage | width, mean | width, median |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Summary s : tables(cases)) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.2f | %.0f %% | %.1f %% | %.1f %% |%n",
                    s.label(),
                    s.cases(),
                    100 * s.model(),
                    100 * s.runRate(),
                    100 * s.seasonalNaive(),
                    100 * s.hourOfWeek(),
                    s.model() / s.bestBaseline(),
                    100 * s.coverage(),
                    100 * s.width(),
                    100 * s.medianWidth());
        }
        if (java.util.Arrays.asList(args).contains("--models")) {
            models(cases);
        }
        long nanos = cases.stream().mapToLong(Scored::nanos).sum();
        long none = cases.stream().filter(s -> !s.forecast()).count();
        System.out.printf(
                Locale.ROOT,
                "%ntime per forecast: %.0f µs; cases without a forecast (scored as run-rate): %d%n",
                nanos / 1000.0 / cases.size(),
                none);
    }
}
