package io.costguard.baseline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * A workload's p95 latency at each step of a range query (oldest first), as Prometheus has it: what "sustained
 * for latencyFor" is judged on, so the verdict does not depend on how long this process has been watching. Kept
 * between cycles for every PerfBaseline, so as two arrays (epoch seconds and values), not a point object each.
 */
public final class LatencyHistory {
    public record Point(Instant at, double seconds) {}

    private final Duration step;
    private final long[] times;
    private final double[] seconds;

    public LatencyHistory(Duration step, List<Point> points) {
        this.step = step;
        this.times = new long[points.size()];
        this.seconds = new double[points.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = points.get(i).at().getEpochSecond();
            seconds[i] = points.get(i).seconds();
        }
    }

    private LatencyHistory(Duration step, long[] times, double[] seconds) {
        this.step = step;
        this.times = times;
        this.seconds = seconds;
    }

    /** The first {@code n} points of the two arrays (epoch seconds, oldest first); the arrays are copied. */
    static LatencyHistory of(Duration step, long[] epochSeconds, double[] values, int n) {
        return new LatencyHistory(step, Arrays.copyOf(epochSeconds, n), Arrays.copyOf(values, n));
    }

    /** Just the value now: nothing is known about before. */
    public static LatencyHistory now(Instant at, double seconds) {
        return new LatencyHistory(Duration.ZERO, new long[] {at.getEpochSecond()}, new double[] {seconds});
    }

    public Duration step() {
        return step;
    }

    public List<Point> points() {
        List<Point> out = new ArrayList<>(times.length);
        for (int i = 0; i < times.length; i++) {
            out.add(new Point(Instant.ofEpochSecond(times[i]), seconds[i]));
        }
        return out;
    }

    /** The value of the newest point when it is at {@code at}, else null. */
    public Double at(Instant at) {
        int i = times.length - 1;
        return i < 0 || times[i] != at.getEpochSecond() || at.getNano() != 0 ? null : seconds[i];
    }

    /**
     * The first point of the unbroken run of points that satisfy {@code above} and end with the point at {@code at};
     * null when there is no point at {@code at} or it does not satisfy it. A missing step (a gap wider than the step)
     * breaks the run: what Prometheus does not have did not hold.
     */
    public Instant aboveSince(DoublePredicate above, Instant at) {
        int i = times.length - 1;
        if (i < 0 || times[i] != at.getEpochSecond() || at.getNano() != 0 || !above.test(seconds[i])) {
            return null;
        }
        long stepSeconds = step.getSeconds();
        while (i > 0 && above.test(seconds[i - 1]) && times[i - 1] + stepSeconds >= times[i]) {
            i--;
        }
        return Instant.ofEpochSecond(times[i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistory h
                && step.equals(h.step)
                && Arrays.equals(times, h.times)
                && Arrays.equals(seconds, h.seconds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * step.hashCode() + Arrays.hashCode(times)) + Arrays.hashCode(seconds);
    }

    @Override
    public String toString() {
        return "LatencyHistory[step=" + step + ", points=" + points() + "]";
    }
}
