package io.costguard.metrics;

import io.costguard.cost.AllocationKey;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code costguard_allocation_cost}: the newest complete hour's cost per namespace and allocation-key values, for
 * spend by key on a dashboard. Attributed cost only (the rest is {@code costguard_unattributed_cost}); a combination
 * without cost in that hour goes, so the series follow the workloads rather than accumulate. An extra key named
 * {@code namespace} is left out: the series already carry the namespace.
 */
public final class AllocationCost {
    private final Gauge cost;
    private final List<Integer> labelled = new ArrayList<>();
    private final Set<List<String>> shown = new HashSet<>();

    public AllocationCost(PrometheusRegistry registry, List<String> keys) {
        List<String> names = new ArrayList<>(List.of("namespace"));
        for (int i = 0; i < keys.size(); i++) {
            if (!"namespace".equals(keys.get(i))) {
                labelled.add(i);
                names.add(keys.get(i));
            }
        }
        cost = Gauge.builder()
                .withoutExemplars()
                .name("costguard_allocation_cost")
                .help("Cost of the newest complete hour per namespace and allocation-key values (attributed pods only)")
                .labelNames(names.toArray(String[]::new))
                .register(registry);
    }

    /** Replaces the series with this hour's attributed cost by key; unattributed keys are ignored. */
    public synchronized void hour(Map<AllocationKey, Double> byKey) {
        Set<List<String>> now = new HashSet<>();
        for (Map.Entry<AllocationKey, Double> e : byKey.entrySet()) {
            if (!e.getKey().unattributed()) {
                List<String> labels = labels(e.getKey());
                // two keys differing only in a left-out label add up
                double v = now.add(labels)
                        ? e.getValue()
                        : cost.labelValues(labels.toArray(String[]::new)).get() + e.getValue();
                cost.labelValues(labels.toArray(String[]::new)).set(v);
            }
        }
        for (List<String> gone : shown) {
            if (!now.contains(gone)) {
                cost.remove(gone.toArray(String[]::new));
            }
        }
        shown.clear();
        shown.addAll(now);
    }

    private List<String> labels(AllocationKey key) {
        List<String> out = new ArrayList<>(List.of(key.namespace()));
        for (int i : labelled) {
            out.add(key.values().get(i));
        }
        return out;
    }
}
