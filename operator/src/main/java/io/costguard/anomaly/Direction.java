package io.costguard.anomaly;

/** Which way an anomalous day's spend moved against its baseline. */
public enum Direction {
    Increase,
    Decrease;

    /** Whether a change of {@code delta} moved this way. */
    public boolean moved(double delta) {
        return this == Increase ? delta > 0 : delta < 0;
    }
}
