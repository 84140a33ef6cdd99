package io.costguard.baseline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * A workload's p95 latency at each step of a range query (oldest first), as Prometheus has it: what "sustained
 * for latencyFor" is judged on, so the verdict does not depend on how long this process has been watching.
 */
public record LatencyHistory(Duration step, List<Point> points) {
    public record Point(Instant at, double seconds) {}

    public LatencyHistory {
        points = List.copyOf(points);
    }

    /** Just the value now: nothing is known about before. */
    public static LatencyHistory now(Instant at, double seconds) {
        return new LatencyHistory(Duration.ZERO, List.of(new Point(at, seconds)));
    }

    /**
     * The first point of the unbroken run of points that satisfy {@code above} and end with the point at {@code at};
     * null when there is no point at {@code at} or it does not satisfy it. A missing step (a gap wider than the step)
     * breaks the run: what Prometheus does not have did not hold.
     */
    public Instant aboveSince(DoublePredicate above, Instant at) {
        int i = points.size() - 1;
        if (i < 0 || !points.get(i).at().equals(at) || !above.test(points.get(i).seconds())) {
            return null;
        }
        while (i > 0
                && above.test(points.get(i - 1).seconds())
                && !points.get(i - 1).at().plus(step).isBefore(points.get(i).at())) {
            i--;
        }
        return points.get(i).at();
    }
}
