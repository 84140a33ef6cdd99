package io.costguard.prometheus;

import java.util.Map;

/** One series of a query result: its labels and its samples (timestamps in epoch seconds). */
public record Series(Map<String, String> labels, long[] timestamps, double[] values) {
    public int size() {
        return timestamps.length;
    }
}
