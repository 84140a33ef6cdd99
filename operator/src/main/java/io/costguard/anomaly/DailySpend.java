package io.costguard.anomaly;

/** Daily spend from hourly spend with missing hours (NaN): the rule the operator and the CLI share. */
public final class DailySpend {
    /** A day with data for fewer of its hours (18 of 24) is not judged for anomalies. */
    public static final int MIN_COVERAGE_PERCENT = 75;

    private DailySpend() {}

    /**
     * Spend of the day made of hours [from, to) of {@code hourly}: NaN (not judged) when under
     * {@link #MIN_COVERAGE_PERCENT} of its hours have data, else the hours with data scaled up to the whole day,
     * so that a few missing hours neither count as zero nor hide the day.
     */
    public static double total(double[] hourly, int from, int to) {
        double sum = 0;
        int withData = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(hourly[i])) {
                sum += hourly[i];
                withData++;
            }
        }
        int hours = to - from;
        if (hours == 0 || withData * 100 < hours * MIN_COVERAGE_PERCENT) {
            return Double.NaN;
        }
        return sum * hours / withData;
    }
}
