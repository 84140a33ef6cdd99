package io.costguard.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Flags days whose spend is out of line with a seasonal baseline (seed finops-model.md: z-score over a
 * seasonal baseline above a limit, or a day-over-day change above a limit, without a matching change in
 * volume). The baseline of a day is the median of the same weekday over the previous four weeks (the
 * previous week's median before there are two weeks); the z-score is the day's residual against the
 * robust spread (median absolute deviation) of earlier residuals; the day-over-day change is measured
 * after removing the weekday pattern, so Mondays after quiet weekends are not anomalies. With volume,
 * everything is judged on cost per unit of volume, so growth that traffic explains is not flagged.
 * Only increases are flagged: this is a cost guard. Pure.
 */
public final class AnomalyDetector {
  /** Days of history before a day is judged. */
  public static final int MIN_DAYS = 7;
  static final int WEEKS = 4;

  /** A flagged day: {@code day} indexes the input; figures are in spend, not per unit. */
  public record Anomaly(int day, double spend, double expected, double zScore, double changePercent) {}

  /** Limits: flag at {@code zScore} standard deviations or {@code dayOverDayPercent} change. */
  public record Limits(double zScore, double dayOverDayPercent) {
    public static final Limits DEFAULT = new Limits(3.0, 20);
  }

  /**
   * Judges each of the last {@code judge} days of {@code daily} (oldest first, whole days), each against the
   * days before it only; a NaN day (too few hours of data) is neither judged nor used as a baseline.
   * {@code volume} is null, or the same length as {@code daily}.
   */
  public List<Anomaly> detect(double[] daily, double[] volume, Limits limits, int judge) {
    int n = daily.length;
    double[] x = new double[n];
    boolean[] known = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(daily[i])) {
        continue; // a day without enough data is not judged and is no baseline
      } else if (volume == null) {
        x[i] = daily[i];
        known[i] = true;
      } else if (volume[i] > 0) {
        x[i] = daily[i] / volume[i];
        known[i] = true;
      }
    }
    List<Anomaly> out = new ArrayList<>();
    for (int i = Math.max(MIN_DAYS, n - judge); i < n; i++) {
      if (!known[i]) {
        continue;
      }
      double expected = baseline(x, known, i);
      if (Double.isNaN(expected) || x[i] <= expected) {
        continue;
      }
      double[] bias = new double[1];
      double spread = spread(x, known, i, expected, bias);
      // residuals of earlier days are centred on their median: a steady trend that the baseline lags is no anomaly
      double z = (x[i] - expected - bias[0]) / spread;
      double change = dayOverDay(x, known, i);
      if (z >= limits.zScore() || change * 100 >= limits.dayOverDayPercent()) {
        double scale = volume == null ? 1 : volume[i];
        out.add(new Anomaly(i, daily[i], expected * scale, z, change * 100));
      }
    }
    return out;
  }

  /**
   * What the baseline expects of day {@code i} of {@code x} (NaN for a day without data) from the days before it;
   * NaN when none has data. Shared with {@link Drivers}, which judges each allocation-key combination by this rule.
   */
  public static double expected(double[] x, int i) {
    boolean[] known = new boolean[i + 1];
    for (int j = 0; j <= i; j++) {
      known[j] = !Double.isNaN(x[j]);
    }
    return baseline(x, known, i);
  }

  /** Median of the same weekday in up to four earlier weeks; before two weeks, median of the last seven days. */
  static double baseline(double[] x, boolean[] known, int i) {
    double[] same = new double[WEEKS];
    int k = 0;
    for (int w = 1; w <= WEEKS && i - 7 * w >= 0; w++) {
      if (known[i - 7 * w]) {
        same[k++] = x[i - 7 * w];
      }
    }
    if (k >= 2) {
      return median(Arrays.copyOf(same, k));
    }
    double[] week = new double[7];
    k = 0;
    for (int j = Math.max(0, i - 7); j < i; j++) {
      if (known[j]) {
        week[k++] = x[j];
      }
    }
    return k == 0 ? Double.NaN : median(Arrays.copyOf(week, k));
  }

  /**
   * Robust standard deviation of earlier residuals (their median goes to {@code bias[0]}); never below 5 % of
   * the baseline, so a flat series is not brittle.
   */
  static double spread(double[] x, boolean[] known, int i, double expected, double[] bias) {
    double[] residuals = new double[28];
    int k = 0;
    for (int j = Math.max(MIN_DAYS, i - 28); j < i; j++) {
      if (known[j]) {
        double b = baseline(x, known, j);
        if (!Double.isNaN(b)) {
          residuals[k++] = x[j] - b;
        }
      }
    }
    double floor = 0.05 * Math.abs(expected);
    if (k < 3) {
      return Math.max(floor, 1e-12);
    }
    double[] r = Arrays.copyOf(residuals, k);
    double m = median(r);
    bias[0] = m;
    for (int j = 0; j < k; j++) {
      r[j] = Math.abs(r[j] - m);
    }
    return Math.max(1.4826 * median(r), Math.max(floor, 1e-12));
  }

  /** Change from the day before, each divided by its weekday's share so the weekly pattern cancels out. */
  static double dayOverDay(double[] x, boolean[] known, int i) {
    if (i == 0 || !known[i - 1]) {
      return 0;
    }
    // both days' weekday shares come from the same weeks before day i
    double today = x[i] / weekdayFactor(x, known, i, i);
    double yesterday = x[i - 1] / weekdayFactor(x, known, i, i - 1);
    return yesterday > 0 ? today / yesterday - 1 : 0;
  }

  /**
   * Median of {@code day}'s weekday over the four weeks before {@code end}, over the mean of the seven weekday
   * medians. Medians, so that an earlier spike on a weekday does not make every later day look like a jump.
   */
  static double weekdayFactor(double[] x, boolean[] known, int end, int day) {
    int from = Math.max(0, end - 7 * WEEKS);
    if (end - from < 7) {
      return 1;
    }
    double[] medians = new double[7];
    double sum = 0;
    for (int w = 0; w < 7; w++) {
      double[] values = new double[WEEKS];
      int k = 0;
      for (int j = from; j < end; j++) {
        if (known[j] && Math.floorMod(j - from, 7) == w) {
          values[k++] = x[j];
        }
      }
      medians[w] = k == 0 ? 0 : median(Arrays.copyOf(values, k));
      sum += medians[w];
    }
    double f = medians[Math.floorMod(day - from, 7)] / (sum / 7);
    return f > 0 ? f : 1;
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    int m = c.length / 2;
    return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
  }
}
