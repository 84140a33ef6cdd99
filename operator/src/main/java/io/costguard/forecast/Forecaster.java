package io.costguard.forecast;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * End-of-period spend from an hourly cost series, with an 80 % interval. A combination of simple robust models,
 * weighted for each series by how well each did on that series' own history: forecasts are replayed at up to 28
 * earlier origins (one a day) with the same hours elapsed and the same hours left as the real question (capped
 * by the history), and each model's weight is its mean squared relative error there to the power -4 (an origin
 * counts by the square of its horizon's share of the real one). The interval comes from the same replay: the
 * 10th and 90th percentiles of the combination's log errors, shrunk towards a prior from the daily spread (worth
 * 15 origins), and widened. The replay is made as of the start of the UTC day holding the data's end,
 * on the history before it, so every hour of a day shares it: an instance remembers the replays of the day
 * (bounded, keyed by day, period and a fingerprint of that history, so budgets over the same scope and period share
 * one) and the other 23 hourly forecasts only run the models still weighted. The result is the same whether the
 * replay was remembered or not.
 *
 * <p>The models, each on hours with data only (a missing hour, NaN, is skipped, never read as zero), and each
 * but the trend also on a copy with spikes clipped (an hour above 3 times the median of its hour of day):
 * <ul>
 *   <li>run-rate: the period-to-date mean per hour for every hour left;</li>
 *   <li>hour-of-week mean: the mean of the same hour of week over the last four weeks (hour of day before a
 *       week of data exists);</li>
 *   <li>seasonal-naive: the latest same hour of week with data;</li>
 *   <li>level x profile: the hour-of-week means scaled to the level of the period so far (run-rate that knows
 *       the weekday/weekend mix of the hours left), of the last three days, of the last week, of the median of
 *       the last seven days, or of all the history;</li>
 *   <li>damped trend x profile: the previous model, a median hour-of-week profile times a Theil-Sen line
 *       through the deseasonalised days of up to four weeks, damped; offered once two weeks of data exist.</li>
 * </ul>
 *
 * <p>Why: on real series (docs/benchmarks.md, "Forecast on real series") the trend model alone lost to
 * run-rate: a trend fitted on ten days and extrapolated over twenty swings the total, while the
 * period-to-date mean is steady; spikes in the period so far mislead run-rate, and a week without the
 * weekday mix misleads everything. No single simple model wins on every kind of series; letting each series'
 * own history pick beats every simple baseline on the real series (11.2 % MAPE against 12.4 % for the best)
 * and keeps most of the trend model's lead on generated series with a trend by construction.
 */
public final class Forecaster {
    /** Hours with data below which there is no forecast. */
    public static final int MIN_HOURS = 48;
    /** Hours of history used at most (eight weeks). */
    public static final int MAX_HOURS = 8 * 168;

    static final int WEEK = 168;
    static final int DAY = 24;
    static final int PROFILE_HOURS = 4 * WEEK;
    static final int RECENT_HOURS = 72;
    static final int TREND_DAYS = 28;
    /** Per future day; a hedge against extrapolating a trend for the whole period. */
    static final double DAMPING = 0.99;
    /** Simulated origins at most (one a day, newest first). */
    static final int ORIGINS = 28;
    /** An origin needs this many hours of data before it. */
    static final int ORIGIN_HISTORY = 48;
    /** And this many hours after it (shorter than the real horizon when the history is short). */
    static final int ORIGIN_HORIZON = 24;

    /**
     * Weight = (mean squared error)^-WEIGHT_POWER: sharper than plain inverse MSE, so a series whose history a
     * trend explains gets mostly the trend, not an eighteenth of it.
     */
    static final double WEIGHT_POWER = 4;

    /**
     * The origins' errors are in-sample (the same origins chose the weights) and mostly over shorter horizons
     * than the real one, so they understate the error; this factor and {@link #PRIOR_ORIGINS}, set on the
     * real-series development backtest, put the 80 % interval's coverage there at 80 % (mean width 49 %).
     */
    static final double WIDEN = 1.3;
    /**
     * The prior spread (daily spread, independent of the replay) counts like this many origins. Leaning on it more
     * is a cheaper way to coverage than widening: on the development series, 5 -> 15 took coverage from 77 % to
     * 80 % at the same mean width, where widening 1.3 -> 1.5 bought 2 points for 12 more points of width.
     */
    static final double PRIOR_ORIGINS = 15;

    /** The models combined, in the order of {@link #components}. */
    enum Model {
        RUN_RATE("run-rate"),
        HOUR_OF_WEEK("hour-of-week mean"),
        SEASONAL_NAIVE("seasonal-naive"),
        PERIOD_LEVEL("period level x profile"),
        RECENT_LEVEL("recent level x profile"),
        TREND("damped trend x profile"),
        LONG_LEVEL("long-run level x profile"),
        MEDIAN_DAY("median day level x profile"),
        WEEK_LEVEL("last week's level x profile");

        final String label;

        Model(String label) {
            this.label = label;
        }
    }

    /** What the forecaster concluded. */
    public sealed interface Result {}

    /**
     * {@code endOfPeriod} = spent so far + {@code remaining}; {@code low} and {@code high} bound the end of the
     * period with 80 % confidence ({@code spent <= low <= endOfPeriod <= high}).
     */
    public record Forecast(double endOfPeriod, double remaining, double low, double high, String model)
            implements Result {}

    /** Too little history to say anything; {@code have} and {@code need} are hours with data. */
    public record InsufficientHistory(int have, int need) implements Result {}

    /**
     * A forecast whose period start is not known: the last week stands in for the period so far.
     *
     * @see #forecast(double[], long, double, long, long, long)
     */
    public Result forecast(double[] hourly, long firstHour, double spent, long throughSecond, long periodEndSecond) {
        return forecast(hourly, firstHour, spent, throughSecond - WEEK * 3600L, throughSecond, periodEndSecond);
    }

    /**
     * @param hourly cost per hour, oldest first, the last element being the hour that ends at {@code through};
     *     NaN for an hour without data (skipped, never counted as zero)
     * @param firstHour epoch hour (epoch seconds / 3600) of {@code hourly[0]}
     * @param spent spend of the period so far
     * @param periodStartSecond start of the period (epoch seconds)
     * @param throughSecond end of the data (epoch seconds, an hour boundary)
     * @param periodEndSecond end of the period (epoch seconds)
     */
    public Result forecast(
            double[] hourly,
            long firstHour,
            double spent,
            long periodStartSecond,
            long throughSecond,
            long periodEndSecond) {
        int use = Math.min(hourly.length, MAX_HOURS);
        double[] x = Arrays.copyOfRange(hourly, hourly.length - use, hourly.length);
        long x0 = firstHour + hourly.length - use;
        int have = 0;
        for (double v : x) {
            have += Double.isNaN(v) ? 0 : 1;
        }
        if (have < MIN_HOURS) {
            return new InsufficientHistory(have, MIN_HOURS);
        }
        int missing = use - have;
        double hoursLeft = Math.max(0, (periodEndSecond - throughSecond) / 3600.0);
        if (hoursLeft == 0) {
            return new Forecast(spent, 0, spent, spent, "the period is over" + gaps(missing));
        }
        int o = use;
        int elapsed = (int) Math.max(0, Math.floorDiv(throughSecond - periodStartSecond, 3600L));
        Replay replay = replay(hourly, firstHour, periodStartSecond, periodEndSecond);
        double[] weights = replay.weights().clone();
        int n = Model.values().length;
        boolean[] wanted = new boolean[weights.length];
        boolean anyClipped = false;
        for (int m = 0; m < weights.length; m++) {
            wanted[m] = weights[m] > 0;
            anyClipped |= wanted[m] && m >= n;
        }
        Series s = new Series(x, x0, null);
        // the spike caps of the day's replay: no sorting per hour
        Series clipped = anyClipped ? new Series(x, x0, replay.caps()) : s;
        double[] now = both(s, clipped, o - elapsed, o, hoursLeft, wanted);
        double total = 0;
        for (int m = 0; m < weights.length; m++) {
            // a model the replay chose may have nothing to say now (e.g. nothing to clip in the newest hours' data)
            weights[m] = Double.isNaN(now[m]) ? 0 : weights[m];
            total += weights[m];
        }
        if (total == 0) {
            // every chosen model is silent now: all the others but the trend, equally
            now = both(s, new Series(x, x0, replay.caps()), o - elapsed, o, hoursLeft, null);
            for (int m = 0; m < weights.length; m++) {
                weights[m] = !Double.isNaN(now[m]) && m % n != Model.TREND.ordinal() ? 1 : 0;
                total += weights[m];
            }
        }
        double remaining = 0;
        for (int m = 0; m < weights.length; m++) {
            weights[m] /= total;
            remaining += weights[m] > 0 ? weights[m] * now[m] : 0;
        }
        remaining = Math.max(0, remaining);
        double low = spent + remaining * Math.exp(Math.min(0, replay.low()));
        double high = spent + remaining * Math.exp(Math.max(0, replay.high()));
        return new Forecast(
                spent + remaining, remaining, low, high, describe(weights, replay.origins()) + gaps(missing));
    }

    /** Replays remembered at most (about one per budget; the least recently used goes first). */
    public static final int CACHED_REPLAYS = 20_000;
    /** Hours of history the day's replay reads: fixed for the whole day, whichever hour the forecast is made. */
    static final int REPLAY_HOURS = MAX_HOURS - DAY;

    /**
     * What the rolling-origin replay concluded for one day: each model's weight, the combination's log-error band,
     * the origins it had and the spike caps, for the history before the day began and the period ({@link ReplayKey}).
     */
    record Replay(double[] weights, double low, double high, int origins, double[] caps) {}

    /**
     * What a replay depends on: the day, the history before it ({@code fingerprint}: values, position and length)
     * and the period. Budgets over the same scope and period share one replay.
     */
    record ReplayKey(long dayStartHour, long fingerprint, long periodStartSecond, long periodEndSecond) {}

    /** A model under this share of the weight is left out (and not computed each hour). */
    static final double MIN_SHARE = 0.001;

    private final Map<ReplayKey, Replay> replays;
    /** The newest day a replay was made for (guarded by {@link #replays}). */
    private long newestDay = Long.MIN_VALUE;

    public Forecaster() {
        this(CACHED_REPLAYS);
    }

    /** @param cachedReplays replays remembered at most (0: none) */
    public Forecaster(int cachedReplays) {
        this.replays = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ReplayKey, Replay> eldest) {
                return size() > cachedReplays;
            }
        };
    }

    /** How many replays are remembered. */
    int remembered() {
        synchronized (replays) {
            return replays.size();
        }
    }

    /**
     * The rolling-origin replay as of the start of the (UTC) day holding the data's end, on the REPLAY_HOURS
     * before it: every hour of a day shares it, so the hourly forecast pays for it once a day. Weights and band
     * drift by at most a day's origins against a replay at the very hour, which the backtest tables include.
     */
    Replay replay(double[] hourly, long firstHour, long periodStartSecond, long periodEndSecond) {
        long through = firstHour + hourly.length;
        long dayStart = Math.floorDiv(through, (long) DAY) * DAY;
        int end = (int) (dayStart - firstHour);
        int from = Math.max(0, end - REPLAY_HOURS);
        long fingerprint = fingerprint(hourly, from, Math.max(from, end), firstHour + from);
        ReplayKey key = new ReplayKey(dayStart, fingerprint, periodStartSecond, periodEndSecond);
        Replay known;
        synchronized (replays) {
            known = replays.get(key);
        }
        if (known != null) {
            return known;
        }
        double[] dx = end <= from ? new double[0] : Arrays.copyOfRange(hourly, from, end);
        Replay r = replay(dx, firstHour + from, dayStart, periodStartSecond, periodEndSecond);
        synchronized (replays) {
            if (dayStart > newestDay) {
                // a new day replaces every replay: the earlier days' would only wait for the LRU bound
                newestDay = dayStart;
                replays.keySet().removeIf(k -> k.dayStartHour() < dayStart);
            }
            replays.put(key, r);
        }
        return r;
    }

    /** Values, position and length of the history the replay reads. */
    static long fingerprint(double[] hourly, int from, int to, long firstHour) {
        long h = firstHour * 0x9E3779B97F4A7C15L + (to - from);
        for (int i = from; i < to; i++) {
            h = (h ^ Double.doubleToLongBits(hourly[i])) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    private static Replay replay(double[] x, long x0, long dayStart, long periodStartSecond, long periodEndSecond) {
        int models = 2 * Model.values().length;
        int o = x.length;
        double hoursLeft = Math.max(1, (periodEndSecond - dayStart * 3600) / 3600.0);
        int elapsed = (int) Math.max(0, Math.floorDiv(dayStart * 3600 - periodStartSecond, 3600L));
        Series s = new Series(x, x0, null);
        double[] caps = Series.caps(x, x0);
        Series clipped = new Series(x, x0, caps);

        // rolling origin: the same elapsed share and hours left, as far as the history allows
        double[] sq = new double[models];
        int[] scored = new int[models];
        double[] hsum = new double[models];
        double[][] predicted = new double[ORIGINS][];
        double[] truths = new double[ORIGINS];
        int origins = 0;
        for (int k = 1; origins < ORIGINS; k++) {
            int ok = o - k * DAY;
            int horizon = (int) Math.min(Math.ceil(hoursLeft), o - ok);
            if (ok < ORIGIN_HISTORY || s.observed(0, ok) < ORIGIN_HISTORY) {
                break;
            }
            if (horizon < ORIGIN_HORIZON) {
                continue;
            }
            double truth = s.meanRate(ok, ok + horizon) * horizon;
            if (Double.isNaN(truth) || truth <= 0 || s.observed(ok, ok + horizon) * 10 < horizon * 9) {
                continue;
            }
            double[] p = both(s, clipped, ok - elapsed, ok, horizon, null);
            for (int m = 0; m < models; m++) {
                if (!Double.isNaN(p[m])) {
                    double e = (p[m] - truth) / truth;
                    // an origin counts by the square of its horizon's share of the real one
                    double hw = Math.pow(horizon / Math.ceil(hoursLeft), 2);
                    sq[m] += hw * e * e;
                    hsum[m] += hw;
                    scored[m]++;
                }
            }
            predicted[origins] = p;
            truths[origins] = truth;
            origins++;
        }
        double[] weights = new double[models];
        double total = 0;
        for (int m = 0; m < models; m++) {
            // without origins: equal weights but for the trend; with them, inverse mean squared error (a floor keeps it
            // finite), for the models tested on at least half of them
            boolean offered =
                    origins == 0 ? m % Model.values().length != Model.TREND.ordinal() : scored[m] * 2 >= origins;
            if (offered) {
                weights[m] = origins == 0 ? 1 : Math.pow(Math.max(sq[m] / hsum[m], 1e-6), -WEIGHT_POWER);
                total += weights[m];
            }
        }
        double kept = 0;
        for (int m = 0; m < models; m++) {
            weights[m] = weights[m] < MIN_SHARE * total ? 0 : weights[m];
            kept += weights[m];
        }
        for (int m = 0; m < models; m++) {
            weights[m] = kept > 0 ? weights[m] / kept : 0;
        }

        // the combination's own errors at the origins, as log ratios truth / forecast
        double[] logRatios = new double[origins];
        int errors = 0;
        for (int k = 0; k < origins; k++) {
            double p = 0;
            double w = 0;
            for (int m = 0; m < models; m++) {
                if (weights[m] > 0 && !Double.isNaN(predicted[k][m])) {
                    p += weights[m] * predicted[k][m];
                    w += weights[m];
                }
            }
            if (w > 0) {
                // an origin where none of the chosen models could speak says nothing about the combination's error
                logRatios[errors++] = Math.log(Math.max(truths[k], 1e-12) / Math.max(p / w, 1e-12));
            }
        }
        logRatios = Arrays.copyOf(logRatios, errors);
        double[] band = o == 0 ? new double[] {-WIDEN * 1.28 * 0.1, WIDEN * 1.28 * 0.1} : band(logRatios, s, o);
        return new Replay(weights, band[0], band[1], origins, caps);
    }

    /** The 10th and 90th percentile of the log errors, widened by a prior when there are few of them. */
    static double[] band(double[] logRatios, Series s, int o) {
        double prior = Math.max(0.05, s.dailySpread(o));
        int n = logRatios.length;
        double[] sorted = logRatios.clone();
        Arrays.sort(sorted);
        double lo = n == 0 ? 0 : quantile(sorted, 0.1);
        double hi = n == 0 ? 0 : quantile(sorted, 0.9);
        // shrink towards a prior of ±1.28 daily spreads (a normal 80 % interval), counted as PRIOR_ORIGINS origins
        double w = n / (n + PRIOR_ORIGINS);
        return new double[] {WIDEN * (w * lo - (1 - w) * 1.28 * prior), WIDEN * (w * hi + (1 - w) * 1.28 * prior)};
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (sorted[j] - sorted[i]) * (pos - i);
    }

    /** The heaviest models (up to three) with their weights, e.g. "mix of run-rate 60 %, ... (21 origins)". */
    private static String describe(double[] weights, int origins) {
        Model[] all = Model.values();
        Integer[] order = new Integer[weights.length];
        for (int m = 0; m < weights.length; m++) {
            order[m] = m;
        }
        Arrays.sort(order, (a, c) -> Double.compare(weights[c], weights[a]));
        StringBuilder b = new StringBuilder("mix of ");
        int shown = 0;
        int rest = 0;
        for (int m : order) {
            if (weights[m] >= 0.005 && shown < 3) {
                b.append(shown++ == 0 ? "" : ", ")
                        .append(all[m % all.length].label)
                        .append(m >= all.length ? " (spikes clipped)" : "")
                        .append(String.format(Locale.ROOT, " %.0f %%", 100 * weights[m]));
            } else if (weights[m] >= 0.005) {
                rest++;
            }
        }
        return b
                + (rest == 0 ? "" : " and " + rest + " more")
                + (origins == 0
                        ? " (equal weights: no earlier origin to test on)"
                        : ", weighted on " + origins + " earlier origins");
    }

    private static String gaps(int missing) {
        return missing == 0 ? "" : ", " + missing + " missing hours skipped";
    }

    /** The models on the data as it is, then on the data with spikes clipped. */
    static double[] both(Series raw, Series clipped, int ps, int o, double hoursLeft, boolean[] wanted) {
        int n = Model.values().length;
        double[] a = components(raw, ps, o, hoursLeft, wanted == null ? null : Arrays.copyOf(wanted, n));
        double[] b;
        if (clipped.x == raw.x) {
            // nothing was clipped: twins would only count the level models twice against the trend
            b = new double[a.length];
            Arrays.fill(b, Double.NaN);
        } else {
            b = components(clipped, ps, o, hoursLeft, wanted == null ? null : Arrays.copyOfRange(wanted, n, 2 * n));
        }
        // the trend's medians and Theil-Sen line shrug off spikes already: its clipped twin would only cost time
        b[Model.TREND.ordinal()] = Double.NaN;
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Each model's forecast of the sum of the {@code hoursLeft} hours from index {@code o}, from data before
     * {@code o} only; NaN when a model has nothing to say. {@code ps} is the period start's index (may be before the
     * data).
     */
    static double[] components(Series s, int ps, int o, double hoursLeft) {
        return components(s, ps, o, hoursLeft, null);
    }

    /** The same, computing only the {@code wanted} models (null: all); the others are NaN. */
    static double[] components(Series s, int ps, int o, double hoursLeft, boolean[] wanted) {
        double[] out = new double[Model.values().length];
        Arrays.fill(out, Double.NaN);
        boolean naiveWanted = wanted == null || wanted[Model.SEASONAL_NAIVE.ordinal()];
        double[] profile = s.profile(o);
        int whole = (int) Math.floor(hoursLeft);
        double part = hoursLeft - whole;
        int steps = (int) Math.ceil(hoursLeft);
        double level = s.meanRate(Math.max(0, ps), o);
        if (Double.isNaN(level) || s.observed(Math.max(0, ps), o) < 12) {
            level = s.meanRate(Math.max(0, o - DAY), o);
        }
        double periodProfile = profileLevel(s, profile, Math.max(0, ps), o);
        if (Double.isNaN(periodProfile) || s.observed(Math.max(0, ps), o) < 12) {
            periodProfile = profileLevel(s, profile, Math.max(0, o - DAY), o);
        }
        double recentProfile = profileLevel(s, profile, Math.max(0, o - RECENT_HOURS), o);
        double profileSum = 0;
        double naive = 0;
        for (int k = 0; k < steps; k++) {
            double weight = k < whole ? 1 : part;
            int t = o + k;
            double p = profile[s.phase(t, profile.length)];
            profileSum += weight * p;
            naive += naiveWanted ? weight * s.latestSameHour(t, o, p) : 0;
        }
        out[Model.RUN_RATE.ordinal()] = level * hoursLeft;
        out[Model.HOUR_OF_WEEK.ordinal()] = profileSum;
        out[Model.SEASONAL_NAIVE.ordinal()] = naiveWanted ? naive : Double.NaN;
        out[Model.PERIOD_LEVEL.ordinal()] = periodProfile * profileSum;
        out[Model.RECENT_LEVEL.ordinal()] = recentProfile * profileSum;
        if (wanted == null || wanted[Model.TREND.ordinal()]) {
            out[Model.TREND.ordinal()] = trend(s, o, hoursLeft);
        }
        if (wanted == null || wanted[Model.LONG_LEVEL.ordinal()]) {
            out[Model.LONG_LEVEL.ordinal()] = profileLevel(s, profile, 0, o) * profileSum;
        }
        if (wanted == null || wanted[Model.MEDIAN_DAY.ordinal()]) {
            out[Model.MEDIAN_DAY.ordinal()] = medianDayLevel(s, profile, o) * profileSum;
        }
        out[Model.WEEK_LEVEL.ordinal()] = profileLevel(s, profile, Math.max(0, o - WEEK), o) * profileSum;
        return out;
    }

    /** Spend in [from, to) relative to what the profile expects of those hours (both on hours with data). */
    static double profileLevel(Series s, double[] profile, int from, int to) {
        double actual = 0;
        double expected = 0;
        int season = profile.length;
        int ph = s.phase(from, season);
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(s.x[i])) {
                actual += s.x[i];
                expected += profile[ph];
            }
            ph = ph + 1 == season ? 0 : ph + 1;
        }
        return expected > 0 ? actual / expected : Double.NaN;
    }

    /** The median of the last seven days' levels relative to the profile (NaN before three days). */
    static double medianDayLevel(Series s, double[] profile, int o) {
        double[] levels = new double[7];
        int used = 0;
        for (int d = 1; d <= 7 && o - d * DAY >= 0; d++) {
            double level = profileLevel(s, profile, o - d * DAY, o - (d - 1) * DAY);
            if (!Double.isNaN(level)) {
                levels[used++] = level;
            }
        }
        return used < 3 ? Double.NaN : medianInPlace(levels, used);
    }

    /**
     * The previous model, kept for series with a steady trend: a median profile over whole cycles of the last
     * four weeks (hour of week from two weeks of data, else hour of day) times a daily level with a damped
     * Theil-Sen line through the deseasonalised daily totals of up to four weeks; NaN before a week of data.
     */
    static double trend(Series s, int o, double hoursLeft) {
        int use = Math.min(o, PROFILE_HOURS);
        if (s.observed(o - use, o) < 2 * WEEK - DAY) {
            return Double.NaN;
        }
        int season = WEEK;
        int cycles = use / season;
        int start = o - cycles * season;
        double[] profile = new double[season];
        double[] atPhase = new double[cycles];
        double sum = 0;
        for (int ph = 0; ph < season; ph++) {
            int n = 0;
            for (int c = 0; c < cycles; c++) {
                double v = s.x[start + c * season + ph];
                if (!Double.isNaN(v)) {
                    atPhase[n++] = v;
                }
            }
            profile[ph] = n == 0 ? Double.NaN : medianInPlace(atPhase, n);
            sum += n == 0 ? 0 : profile[ph];
        }
        double mean = sum / season;
        for (int ph = 0; ph < season; ph++) {
            profile[ph] = Double.isNaN(profile[ph]) || mean <= 0 ? 1 : profile[ph] / mean;
        }
        int days = Math.min(TREND_DAYS, (o - start) / DAY);
        double[] daily = new double[days];
        int used = 0;
        for (int d = 0; d < days; d++) {
            double actual = 0;
            double expected = 0;
            for (int i = o - (days - d) * DAY; i < o - (days - d - 1) * DAY; i++) {
                if (!Double.isNaN(s.x[i])) {
                    actual += s.x[i];
                    expected += profile[(i - start) % season];
                }
            }
            if (expected > 0) {
                daily[used++] = actual / expected;
            }
        }
        if (used < 7) {
            return Double.NaN;
        }
        double[] line = robustFit(Arrays.copyOf(daily, used));
        double level = line[0] + line[1] * (used - 1);
        double remaining = 0;
        int whole = (int) Math.floor(hoursLeft);
        double damp = 1;
        double steps = 0;
        for (int k = 0; k < Math.ceil(hoursLeft); k++) {
            if (k % DAY == 0) {
                damp *= DAMPING;
                steps += damp;
            }
            double value = Math.max(0, level + line[1] * steps) * profile[(o + k - start) % season];
            remaining += k < whole ? value : value * (hoursLeft - whole);
        }
        return remaining;
    }

    /** Spikes: an hour above this many times the median of its hour of day (clipped variants of the models). */
    static final double CAP = 3;

    /** An hourly series with NaN for missing hours; {@code x0} is the epoch hour of {@code x[0]}. */
    static final class Series {
        final double[] x;
        final long x0;
        /** Hours with data before each index: {@code observed} in constant time, asked many times per replay. */
        private final int[] seen;

        /** {@code caps}: the most an hour of each hour of day counts (null: as it is). */
        Series(double[] x, long x0, double[] caps) {
            this.x0 = x0;
            this.x = caps == null ? x : clipped(x, x0, caps);
            this.seen = new int[this.x.length + 1];
            for (int i = 0; i < this.x.length; i++) {
                seen[i + 1] = seen[i] + (Double.isNaN(this.x[i]) ? 0 : 1);
            }
        }

        /** CAP times the median of each hour of day over the data given (infinite for an hour of day without data). */
        static double[] caps(double[] x, long x0) {
            double[][] byHour = new double[DAY][x.length / DAY + 1];
            int[] n = new int[DAY];
            for (int i = 0; i < x.length; i++) {
                if (!Double.isNaN(x[i])) {
                    int h = (int) Math.floorMod(x0 + i, (long) DAY);
                    byHour[h][n[h]++] = x[i];
                }
            }
            double[] cap = new double[DAY];
            for (int h = 0; h < DAY; h++) {
                cap[h] = n[h] == 0 ? Double.POSITIVE_INFINITY : CAP * medianInPlace(byHour[h], n[h]);
            }
            return cap;
        }

        /** Hours above their hour of day's cap are clipped to it; {@code x} itself when none is. */
        static double[] clipped(double[] x, long x0, double[] cap) {
            double[] out = null;
            for (int i = 0; i < x.length; i++) {
                int h = (int) Math.floorMod(x0 + i, (long) DAY);
                if (x[i] > cap[h] && cap[h] > 0) {
                    out = out == null ? x.clone() : out;
                    out[i] = cap[h];
                }
            }
            return out == null ? x : out;
        }

        int phase(int i, int season) {
            return (int) Math.floorMod(x0 + i, (long) season);
        }

        int observed(int from, int to) {
            int f = Math.max(0, from);
            return to <= f ? 0 : seen[to] - seen[f];
        }

        /** Mean of the hours with data in [from, to), NaN when none. */
        double meanRate(int from, int to) {
            double sum = 0;
            int n = 0;
            for (int i = Math.max(0, from); i < to; i++) {
                if (!Double.isNaN(x[i])) {
                    sum += x[i];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        /**
         * Mean cost per phase over the last four weeks before {@code o}: hour of week once a week of data is there,
         * else hour of day; a phase without data takes the hour of day's mean, or the overall mean.
         */
        double[] profile(int o) {
            int from = Math.max(0, o - PROFILE_HOURS);
            int season = o - from >= WEEK && observed(o - WEEK, o) >= WEEK / 2 ? WEEK : DAY;
            double[] sum = new double[season];
            int[] n = new int[season];
            double[] hodSum = new double[DAY];
            int[] hodN = new int[DAY];
            double all = 0;
            int allN = 0;
            int at = phase(from, season);
            int hod = phase(from, DAY);
            for (int i = from; i < o; i++) {
                if (!Double.isNaN(x[i])) {
                    sum[at] += x[i];
                    n[at]++;
                    hodSum[hod] += x[i];
                    hodN[hod]++;
                    all += x[i];
                    allN++;
                }
                at = at + 1 == season ? 0 : at + 1;
                hod = hod + 1 == DAY ? 0 : hod + 1;
            }
            double[] p = new double[season];
            for (int ph = 0; ph < season; ph++) {
                p[ph] = n[ph] > 0
                        ? sum[ph] / n[ph]
                        : hodN[ph % DAY] > 0 ? hodSum[ph % DAY] / hodN[ph % DAY] : all / allN;
            }
            return p;
        }

        /** The latest hour with data at the same hour of week as {@code t} before {@code o}, else {@code fallback}. */
        double latestSameHour(int t, int o, double fallback) {
            for (int i = t - WEEK * (1 + (t - o) / WEEK); i >= Math.max(0, o - PROFILE_HOURS); i -= WEEK) {
                if (!Double.isNaN(x[i])) {
                    return x[i];
                }
            }
            return fallback;
        }

        /** Relative spread of the daily totals of the last two weeks before {@code o} (MAD / median, robust). */
        double dailySpread(int o) {
            int days = Math.min(14, o / DAY);
            double[] d = new double[days];
            int used = 0;
            for (int k = 0; k < days; k++) {
                int from = o - (k + 1) * DAY;
                double m = meanRate(from, from + DAY);
                if (!Double.isNaN(m)) {
                    d[used++] = m;
                }
            }
            if (used < 2) {
                return 0.1;
            }
            double[] v = Arrays.copyOf(d, used);
            double med = median(v);
            double[] dev = new double[used];
            for (int k = 0; k < used; k++) {
                dev[k] = Math.abs(v[k] - med);
            }
            return med > 0 ? 1.4826 * median(dev) / med : 0.1;
        }
    }

    /** Theil-Sen line through (i, y[i]): median of pairwise slopes, so an outage day does not tilt it. */
    static double[] robustFit(double[] y) {
        int n = y.length;
        if (n < 2) {
            return new double[] {n == 1 ? y[0] : 0, 0};
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                slopes[k++] = (y[j] - y[i]) / (j - i);
            }
        }
        double slope = medianInPlace(slopes, slopes.length);
        double[] intercepts = new double[n];
        for (int i = 0; i < n; i++) {
            intercepts[i] = y[i] - slope * i;
        }
        return new double[] {medianInPlace(intercepts, n), slope};
    }

    /** Medians of this many values or fewer sort by insertion. */
    private static final int SMALL = 16;

    static double median(double[] v) {
        return medianInPlace(v.clone(), v.length);
    }

    /**
     * Median of the first {@code n} values of {@code v}, which it reorders: for the hot paths, no copy. Exact (the
     * same as sorting): insertion sort for a few values, else selection of the middle one(s).
     */
    static double medianInPlace(double[] v, int n) {
        int m = n / 2;
        if (n <= SMALL) {
            // most medians here are of a few weeks' values at one hour of week
            for (int i = 1; i < n; i++) {
                double a = v[i];
                int j = i - 1;
                while (j >= 0 && Double.compare(v[j], a) > 0) {
                    v[j + 1] = v[j];
                    j--;
                }
                v[j + 1] = a;
            }
            return n % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
        }
        double upper = select(v, n, m);
        if (n % 2 == 1) {
            return upper;
        }
        // the lower middle is the largest value left of position m
        double lower = v[0];
        for (int i = 1; i < m; i++) {
            lower = Double.compare(v[i], lower) > 0 ? v[i] : lower;
        }
        return (lower + upper) / 2;
    }

    /**
     * The k-th smallest of the first n values; afterwards v[0..k) <= v[k] <= v(k..n). Three-way partitions, so that
     * many equal values (a flat series' Theil-Sen slopes are all 0) take one pass instead of one per value.
     */
    private static double select(double[] v, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // median of three as the pivot
            double a = v[lo];
            double b = v[mid];
            double c = v[hi];
            double pivot = Double.compare(a, b) < 0
                    ? (Double.compare(b, c) < 0 ? b : Double.compare(a, c) < 0 ? c : a)
                    : (Double.compare(a, c) < 0 ? a : Double.compare(b, c) < 0 ? c : b);
            // v[lo..lt) < pivot, v[lt..i) == pivot, v(gt..hi] > pivot
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                int cmp = Double.compare(v[i], pivot);
                if (cmp < 0) {
                    swap(v, lt++, i++);
                } else if (cmp > 0) {
                    swap(v, i, gt--);
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return v[k];
    }

    private static void swap(double[] v, int i, int j) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}
