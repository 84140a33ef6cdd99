package io.costguard.metrics;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code costguard_leader}, and the metrics only the leader has something to say about (cost data, cycles, budgets,
 * baselines, bench runs): a standby exports none of them rather than zeros, which an alert would read as "no cost
 * data" or "budget at 0". Without leader election the only replica leads from the start.
 */
public final class Leadership {
    private final AtomicBoolean leading = new AtomicBoolean();
    private final Gauge leader;

    /** {@code leaderOnly} is exported through {@code served} while this replica leads. */
    public Leadership(PrometheusRegistry served, PrometheusRegistry leaderOnly) {
        leader = Gauge.builder()
                .withoutExemplars()
                .name("costguard_leader")
                .help(
                        "1 on the replica that reads cost and reconciles (always 1 without leader election), 0 on a standby")
                .register(served);
        leader.set(0);
        MultiCollector whileLeading = () -> leading.get() ? leaderOnly.scrape() : MetricSnapshots.of();
        served.register(whileLeading);
    }

    public void leading(boolean now) {
        leading.set(now);
        leader.set(now ? 1 : 0);
    }
}
