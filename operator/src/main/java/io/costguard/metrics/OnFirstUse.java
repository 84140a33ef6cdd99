package io.costguard.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Metrics exported only once it has been given a value: without labels a metric would
 * otherwise be exported as 0 from the start, which reads as "down" (OPA) or "expired" (a certificate) for a feature
 * that is not configured or has not been used yet. Call {@link #used} after setting the value.
 */
public final class OnFirstUse {
    private final PrometheusRegistry registry;
    private final Collector[] metrics;
    private final AtomicBoolean registered = new AtomicBoolean();

    public OnFirstUse(PrometheusRegistry registry, Collector... metrics) {
        this.registry = registry;
        this.metrics = metrics.clone();
    }

    public void used() {
        if (registered.compareAndSet(false, true)) {
            for (Collector m : metrics) {
                registry.register(m);
            }
        }
    }
}
