package io.costguard.anomaly;

import io.costguard.anomaly.AnomalyDetector.Anomaly;
import io.costguard.anomaly.AnomalyDetector.Limits;

/**
 * Judges the running day as its hours complete, so a runaway job is seen within an hour rather than after
 * midnight. Two views of today, each compared by {@link AnomalyDetector} with the same hours of the earlier days
 * and the same limits: the day so far (a sustained shift) and the last {@link #RECENT} complete hours (a spike
 * late in the day that the day so far would dilute). Once the z-score exists it alone decides: on the real
 * series the day-over-day limit on a few hours flagged half again as many days that the complete day did not
 * confirm (405 against 263). The early z-score of the second week does not gate. The daily judgement of the
 * complete day stays the record. Pure.
 */
public final class RunningDayJudge {
    /** Complete hours in the recent view. */
    public static final int RECENT = 3;

    private final AnomalyDetector detector = new AnomalyDetector();

    /** A finding on the running day: hours [fromHour, toHour) of it, with the detector's figures for them. */
    public record Finding(int fromHour, int toHour, Anomaly anomaly) {}

    /**
     * {@code days[d]} holds the hourly costs of day d (oldest first, NaN for an hour without data); the last is today,
     * of which the first {@code complete} hours are complete. Returns the finding, or null.
     */
    public Finding judge(double[][] days, int complete, Limits limits) {
        int today = days.length - 1;
        if (today < AnomalyDetector.MIN_DAYS || complete < 1) {
            return null;
        }
        Finding soFar = view(days, 0, complete, limits);
        if (soFar != null || complete <= RECENT) {
            return soFar;
        }
        return view(days, complete - RECENT, complete, limits);
    }

    private Finding view(double[][] days, int from, int to, Limits limits) {
        double[] x = new double[days.length];
        for (int d = 0; d < days.length; d++) {
            x[d] = sum(days[d], from, to);
        }
        int today = days.length - 1;
        Anomaly a = detector.judge(x, today, limits);
        boolean seasonal = AnomalyDetector.sameWeekday(x, today).length >= 2;
        if (a == null || seasonal && Math.abs(a.zScore()) < limits.zScore()) {
            // a few hours move far more from one day to the next than whole days do: once the same hours of two
            // earlier same weekdays give a z-score, it decides alone (the early z-score of the second week does not
            // gate: on the real series it delayed the first flag of a flagged day from a median of 2 hours to 4)
            return null;
        }
        return new Finding(from, to, a);
    }

    /**
     * Spend of hours [from, to) of a day, scaled up over missing hours; NaN when fewer than 75 % of them have data
     * (as for whole days) or the day is shorter.
     */
    public static double sum(double[] hours, int from, int to) {
        return hours.length < to ? Double.NaN : DailySpend.total(hours, from, to);
    }
}
