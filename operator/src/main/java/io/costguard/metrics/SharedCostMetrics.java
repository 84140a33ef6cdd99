package io.costguard.metrics;

import io.costguard.cost.AllocationKey;
import io.costguard.cost.CostAllocation;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shared and idle cost of the newest complete hour: {@code costguard_shared_cost{key,value}} per value of each key
 * shared cost is split by (labels are key values only, so the series are as many as the values), and
 * {@code costguard_idle_cost} for idle shown as its own bucket; {@code costguard_shared_cost_fallback_hours{shared}}
 * counts the hours a Query driver had no data and Weighted was used.
 */
public final class SharedCostMetrics {
    private final Gauge shared;
    private final Gauge idle;
    private final Gauge fallback;
    private final List<String> keyNames;
    private final Set<List<String>> shown = new HashSet<>();

    public SharedCostMetrics(PrometheusRegistry registry, List<String> keyNames) {
        this.keyNames = List.copyOf(keyNames);
        shared = Gauge.builder()
                .withoutExemplars()
                .name("costguard_shared_cost")
                .help(
                        "Shared cost (attribution.shared and shared idle) of the newest complete hour per value of the key it is "
                                + "split by")
                .labelNames("key", "value")
                .register(registry);
        idle = Gauge.builder()
                .withoutExemplars()
                .name("costguard_idle_cost")
                .help(
                        "Idle node cost of the newest complete hour kept as its own bucket (attribution.idle Show, or a Share "
                                + "nobody took part in)")
                .register(registry);
        fallback = Gauge.builder()
                .withoutExemplars()
                .name("costguard_shared_cost_fallback_hours")
                .help(
                        "Hours of the allocated history in which a shared entry's Query driver returned nothing and Weighted "
                                + "was used")
                .labelNames("shared")
                .register(registry);
    }

    /** Replaces the series with the hour ending at {@code through}; {@code splitKeys} are the keys shares go by. */
    public synchronized void hour(CostAllocation.Snapshot snapshot, Set<String> splitKeys, Instant through) {
        Instant from = through.minusSeconds(3600);
        Map<List<String>, Double> now = new HashMap<>();
        Map<AllocationKey, Double> received =
                new HashMap<>(snapshot.costByKey(CostAllocation.Part.SHARED, from, through));
        snapshot.costByKey(CostAllocation.Part.SHARED_IDLE, from, through)
                .forEach((k, v) -> received.merge(k, v, Double::sum));
        for (String key : splitKeys) {
            int i = keyNames.indexOf(key);
            received.forEach((k, v) -> {
                if (!k.values().get(i).isEmpty()) {
                    now.merge(List.of(key, k.values().get(i)), v, Double::sum);
                }
            });
        }
        now.forEach(
                (labels, v) -> shared.labelValues(labels.toArray(String[]::new)).set(v));
        for (List<String> gone : shown) {
            if (!now.containsKey(gone)) {
                shared.remove(gone.toArray(String[]::new));
            }
        }
        shown.clear();
        shown.addAll(now.keySet());
        idle.set(snapshot.costByKey(CostAllocation.Part.IDLE, from, through).values().stream()
                .mapToDouble(Double::doubleValue)
                .sum());
        snapshot.fallbackHours()
                .forEach((name, hours) -> fallback.labelValues(name).set(hours));
    }
}
