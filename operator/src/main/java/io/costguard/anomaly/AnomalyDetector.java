package io.costguard.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Flags days whose spend is out of line with what came before, in either direction (seed finops-model.md:
 * a z-score over a seasonal baseline above a limit, or a day-over-day change above a limit, without a
 * matching change in volume). Each day is judged from earlier days only, from the third day on:
 * <ul>
 *   <li>the day-over-day change compares the day with the previous day with data; once every weekday has
 *   been seen, both are first divided by their weekday's share, so Mondays after quiet weekends are not
 *   anomalies;</li>
 *   <li>once two earlier days of the same weekday exist, the z-score compares the day with the median of up to
 *   four of them, in units of the robust spread of earlier days' residuals; before that, once every weekday has
 *   been seen, an early z-score in units of the spread of the last week's days ({@link #earlyZ}).</li>
 * </ul>
 * Both directions are judged; {@link Limits#direction()} says which are reported. With Both, every move
 * beyond the limits is reported, the way back after a spike or an outage included (it is in the labelled
 * windows of real series); asked for one direction, a day-over-day move also has to leave the baseline on
 * that side. A day without a value ({@code NaN}: too few hours with data) is not judged and is no baseline:
 * every look-back counts days with data, so a week of such days is as if it was not there. With volume,
 * everything is judged on cost per unit of volume. Pure.
 */
public final class AnomalyDetector {
    /** Days with data before the first judged day: judging starts on the third. */
    public static final int MIN_DAYS = 2;
    /** Smallest move from the baseline a z-score may flag (5 %); on the real series it costs no window. */
    static final double MIN_CHANGE = 0.05;

    static final int WEEKS = 4;
    /** How many earlier days with data the spreads are measured on. */
    static final int LOOKBACK = 28;
    /** The z-score's spread is never below this share of the baseline, so a flat series is not brittle. */
    static final double FLOOR = 0.02;
    /**
     * The early z-score's floor: a spread measured on a week's days is a rough one (on the generated series 2 % let
     * trends of a few per cent through as anomalies; 3.5 % lost the windows it exists for on the real series).
     */
    static final double EARLY_FLOOR = 0.03;
    /** Days with data the early z-score needs. */
    static final int EARLY_DAYS = 3;

    /** Which moves are reported. */
    public enum Direction {
        INCREASE,
        DECREASE,
        BOTH;

        public boolean allows(boolean drop) {
            return this == BOTH || (drop ? this == DECREASE : this == INCREASE);
        }
    }

    /**
     * A flagged day: {@code day} indexes the input; figures are in spend, not per unit; {@code zScore} is NaN before
     * there is a seasonal baseline; {@code drop} for a decrease.
     */
    public record Anomaly(int day, double spend, double expected, double zScore, double changePercent, boolean drop) {}

    /** Limits: flag at {@code zScore} standard deviations or {@code dayOverDayPercent} change, in {@code direction}. */
    public record Limits(double zScore, double dayOverDayPercent, Direction direction) {
        public static final Limits DEFAULT = new Limits(3.0, 20, Direction.BOTH);

        public Limits(double zScore, double dayOverDayPercent) {
            this(zScore, dayOverDayPercent, Direction.BOTH);
        }
    }

    /**
     * Judges each of the last {@code judge} days of {@code daily} (oldest first, whole days, NaN for a day without
     * enough data), each against the days before it only. {@code volume} is null, or the same length as
     * {@code daily}; a day without positive volume is not judged.
     */
    public List<Anomaly> detect(double[] daily, double[] volume, Limits limits, int judge) {
        int n = daily.length;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = volume == null ? daily[i] : volume[i] > 0 ? daily[i] / volume[i] : Double.NaN;
        }
        List<Anomaly> out = new ArrayList<>();
        for (int i = Math.max(0, n - judge); i < n; i++) {
            Anomaly a = judge(x, i, limits);
            if (a != null) {
                double scale = volume == null ? 1 : volume[i];
                out.add(new Anomaly(i, daily[i], a.expected() * scale, a.zScore(), a.changePercent(), a.drop()));
            }
        }
        return out;
    }

    /** The verdict on day {@code i} of {@code x} (NaN = no data) from the days before it: an anomaly, or null. */
    public Anomaly judge(double[] x, int i, Limits limits) {
        if (!known(x, i) || earlier(x, i, MIN_DAYS).length < MIN_DAYS) {
            return null;
        }
        Score s = score(x, i, weekdayFactors(x, i));
        // z is measured against the lean of earlier residuals, and a smooth series has a tiny spread: it counts only
        // when
        // the day is also on that side of its baseline and at least MIN_CHANGE away from it (a day on its baseline in a
        // growing series is no drop)
        boolean zHit = !Double.isNaN(s.z)
                && Math.abs(s.z) >= limits.zScore()
                && (s.z < 0 ? x[i] < s.expected : x[i] > s.expected)
                && Math.abs(x[i] / s.expected - 1) >= MIN_CHANGE;
        // asked for one direction, a day-over-day move counts only when the day also sits on that side of its
        // baseline: the day a service comes back is no rise, the day after a spike no drop; Both reports every move
        boolean changeHit = Math.abs(s.change) * 100 >= limits.dayOverDayPercent()
                && (limits.direction() == Direction.BOTH || (s.change < 0 ? x[i] < s.expected : x[i] > s.expected));
        if (!zHit && !changeHit) {
            return null;
        }
        // the seasonal baseline decides the direction when the two disagree (a day above its baseline after a bigger
        // one)
        boolean drop = zHit ? s.z < 0 : s.change < 0;
        if (!limits.direction().allows(drop)) {
            return null;
        }
        return new Anomaly(i, x[i], s.expected, s.z, s.change * 100, drop);
    }

    private record Score(double expected, double z, double change) {}

    private static Score score(double[] x, int i, double[] factors) {
        int prev = previousKnown(x, i);
        double change = dayOverDay(x[i] / factor(factors, i), x[prev] / factor(factors, prev));
        double expected = expected(x, i, factors);
        if (sameWeekday(x, i).length < 2) {
            return new Score(expected, earlyZ(x, i), change);
        }
        if (!(expected > 0)) {
            return new Score(expected, Double.NaN, change); // nothing to scale against: the day-over-day change judges
        }
        double[] bias = new double[1];
        double spread = spread(x, i, expected, bias);
        // residuals of earlier days are centred on their median: a steady trend that the baseline lags is no anomaly
        return new Score(expected, (x[i] / expected - 1 - bias[0]) / spread, change);
    }

    /**
     * What the baseline expects of day {@code i} of {@code x} (NaN for a day without data) from the days before it.
     * Shared with {@link Drivers}, which judges each allocation-key combination by this rule.
     */
    public static double expected(double[] x, int i) {
        return expected(x, i, weekdayFactors(x, i));
    }

    /**
     * Before two same weekdays exist, once every weekday has been seen: the day against the median of the last
     * week's days, in units of their robust spread (MAD around that median, relative). Neither is divided by the
     * weekday shares: fitted on those very days, they would leave no spread, and take a week's trend for a shape.
     * A series with a weekly shape has a wide spread here and is left to the day-over-day limit; a steady one gets a
     * z-score in its second week: on the real series the 13-day CPU series, whose moves of 10-13 % are labelled,
     * never had one.
     */
    static double earlyZ(double[] x, int i) {
        int[] recent = earlier(x, i, 7);
        if (recent.length < EARLY_DAYS || !everyWeekday(x, i)) {
            return Double.NaN;
        }
        double[] level = new double[recent.length];
        for (int k = 0; k < recent.length; k++) {
            level[k] = x[recent[k]];
        }
        double m = median(level);
        if (!(m > 0)) {
            return Double.NaN;
        }
        double[] dev = new double[level.length];
        for (int k = 0; k < level.length; k++) {
            dev[k] = Math.abs(level[k] / m - 1);
        }
        return (x[i] / m - 1) / Math.max(EARLY_FLOOR, 1.4826 * median(dev));
    }

    /** Whether every weekday has a day with data before {@code i} (the weekday shares exist). */
    static boolean everyWeekday(double[] x, int i) {
        int seen = 0;
        for (int j = i - 1; j >= 0 && j >= i - 28; j--) {
            seen |= known(x, j) ? 1 << Math.floorMod(j, 7) : 0;
        }
        return seen == 0x7f;
    }

    /**
     * What day {@code i} should have been: the median of up to four earlier same weekdays once there are two; before
     * that, the median of the last week's days with data, moved to this day's weekday. NaN with no earlier day.
     */
    static double expected(double[] x, int i, double[] factors) {
        double[] same = sameWeekday(x, i);
        if (same.length >= 2) {
            return median(same);
        }
        int[] recent = earlier(x, i, 7);
        if (recent.length == 0) {
            return Double.NaN;
        }
        double[] level = new double[recent.length];
        for (int k = 0; k < recent.length; k++) {
            level[k] = x[recent[k]] / factor(factors, recent[k]);
        }
        return median(level) * factor(factors, i);
    }

    static boolean known(double[] x, int i) {
        return !Double.isNaN(x[i]);
    }

    /** Up to {@code max} days with data before {@code i}, most recent first (their indexes). */
    static int[] earlier(double[] x, int i, int max) {
        int[] out = new int[max];
        int k = 0;
        for (int j = i - 1; j >= 0 && k < max; j--) {
            if (known(x, j)) {
                out[k++] = j;
            }
        }
        return Arrays.copyOf(out, k);
    }

    static int previousKnown(double[] x, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (known(x, j)) {
                return j;
            }
        }
        return -1;
    }

    /** Up to four earlier values of day {@code i}'s weekday, most recent first, skipping days without data. */
    static double[] sameWeekday(double[] x, int i) {
        double[] same = new double[WEEKS];
        int k = 0;
        for (int j = i - 7; j >= 0 && k < WEEKS; j -= 7) {
            if (known(x, j)) {
                same[k++] = x[j];
            }
        }
        return Arrays.copyOf(same, k);
    }

    /**
     * Each weekday's share ({@code factors[j % 7]}): the median of its last four values before {@code end} over the
     * mean of the seven medians; all ones until every weekday has a value. Medians, so that an earlier spike on a
     * weekday does not make every later day look like a jump.
     */
    static double[] weekdayFactors(double[] x, int end) {
        double[] medians = new double[7];
        double sum = 0;
        for (int w = 0; w < 7; w++) {
            int last = end - 1 - Math.floorMod(end - 1 - w, 7); // the last day before end with j % 7 == w
            double[] values = last < 0 ? new double[0] : sameWeekday(x, last + 7);
            if (values.length == 0) {
                double[] ones = new double[7];
                Arrays.fill(ones, 1);
                return ones;
            }
            medians[w] = median(values);
            sum += medians[w];
        }
        double[] f = new double[7];
        for (int w = 0; w < 7; w++) {
            f[w] = sum > 0 && medians[w] > 0 ? medians[w] / (sum / 7) : 1;
        }
        return f;
    }

    static double factor(double[] factors, int day) {
        return factors[Math.floorMod(day, 7)];
    }

    /** The relative change from {@code before} to {@code today}, each already divided by its weekday's share. */
    static double dayOverDay(double today, double before) {
        if (before > 0) {
            return today / before - 1;
        }
        return today > 0 ? 1e6 : 0; // from nothing to something is an increase beyond any limit
    }

    /**
     * Robust standard deviation of earlier days' relative residuals against their own same-weekday baselines (their
     * median goes to {@code bias[0]}), relative so that weekdays and quiet weekends share one scale; never below 2 %,
     * so a flat series is not brittle. With fewer than three residuals, the relative spread of the same weekdays.
     */
    static double spread(double[] x, int i, double expected, double[] bias) {
        double[] residuals = new double[LOOKBACK];
        int k = 0;
        for (int j : earlier(x, i, LOOKBACK)) {
            double[] same = sameWeekday(x, j);
            double baseline = same.length >= 2 ? median(same) : 0;
            if (baseline > 0) {
                residuals[k++] = x[j] / baseline - 1;
            }
        }
        if (k < 3) {
            // too few residuals for their spread: the spread of the same weekdays themselves, as a person would take
            return Math.max(FLOOR, standardDeviation(sameWeekday(x, i)) / expected);
        }
        double[] r = Arrays.copyOf(residuals, k);
        double m = median(r);
        bias[0] = m;
        for (int j = 0; j < k; j++) {
            r[j] = Math.abs(r[j] - m);
        }
        return Math.max(1.4826 * median(r), FLOOR);
    }

    /** Sample standard deviation; 0 for fewer than two values. */
    static double standardDeviation(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double mean = Arrays.stream(v).average().orElse(0);
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int m = c.length / 2;
        return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
    }
}
