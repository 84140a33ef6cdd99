package io.costguard.metrics;

import io.prometheus.metrics.core.metrics.Gauge;

/** Gauge writes shared by the per-resource metrics. */
public final class Gauges {
    private Gauges() {}

    /** Sets the labelled series, or removes it when there is no value (absent, not 0). */
    public static void setOrRemove(Gauge g, Double v, String... labels) {
        if (v == null) {
            g.remove(labels);
        } else {
            g.labelValues(labels).set(v);
        }
    }
}
