package io.costguard.baseline;

import io.costguard.api.PerfMeasurement;

/**
 * On a live workload the figures of {@code status.current} move with every cycle (p95 at the millisecond, rates at
 * four significant digits), and writing each move costs a status patch and a watch event per PerfBaseline per cycle.
 * A figure that stayed within {@link #RELATIVE} of the one in status, or within its absolute floor, is kept as written
 * until something else is written or the heartbeat is due; the metrics carry every cycle's value.
 */
final class StatusFigures {
    /** The share a figure may move before it is written again. */
    static final double RELATIVE = 0.05;

    /** The figures of {@code status.current}, with the floor under which a move never counts. */
    enum Figure {
        /** One millisecond: the resolution status writes latency at. */
        LATENCY_P95(0.001),
        /** 0.05 percentage points of requests. */
        ERROR_RATIO(0.0005),
        /** 0.05 requests per second. */
        THROUGHPUT(0.05),
        COST_PER_1K_REQUESTS(0);

        final double floor;

        Figure(double floor) {
            this.floor = floor;
        }

        /** Null for a figure that is absent or not ours to read (someone else wrote it): it is then replaced. */
        Double read(String text) {
            return this == LATENCY_P95 ? PerfEvaluator.seconds(text) : PerfEvaluator.decimal(text);
        }
    }

    private StatusFigures() {}

    /**
     * {@code next}, with each figure that stayed close to {@code previous}'s replaced by it; {@code next} itself when
     * either is absent. A new object: {@code next} is left as it is.
     */
    static PerfMeasurement carried(PerfMeasurement previous, PerfMeasurement next) {
        if (previous == null || next == null) {
            return next;
        }
        PerfMeasurement m = new PerfMeasurement();
        m.latencyP95 = pick(previous.latencyP95, next.latencyP95, Figure.LATENCY_P95);
        m.errorRatio = pick(previous.errorRatio, next.errorRatio, Figure.ERROR_RATIO);
        m.throughput = pick(previous.throughput, next.throughput, Figure.THROUGHPUT);
        m.costPer1kRequests = pick(previous.costPer1kRequests, next.costPer1kRequests, Figure.COST_PER_1K_REQUESTS);
        return m;
    }

    private static String pick(String previous, String next, Figure figure) {
        // the same text, the usual case in a steady cycle, needs no parsing
        return previous != null && previous.equals(next) || close(previous, next, figure) ? previous : next;
    }

    /** True when both figures are present, readable and no further apart than the band allows. */
    static boolean close(String previous, String next, Figure figure) {
        Double a = figure.read(previous);
        Double b = figure.read(next);
        if (a == null || b == null || !Double.isFinite(a) || !Double.isFinite(b)) {
            return false;
        }
        return Math.abs(a - b) <= Math.max(RELATIVE * Math.max(Math.abs(a), Math.abs(b)), figure.floor);
    }
}
